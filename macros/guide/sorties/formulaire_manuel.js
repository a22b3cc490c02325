// Decap starts when formulaire.js has registered the guide's formats, checks and previews (CMS.init()).
window.CMS_MANUAL_INIT = true;
