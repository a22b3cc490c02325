"""argparse in French, for the editors' commands (scripts/nouvelle_fiche.py, valider.py, formater.py).

argparse writes its own words (« usage: », « show this help message and exit », « the following arguments
are required ») through gettext, and Python ships no French catalogue for them. This module gives argparse
a French catalogue of its messages (those of Python 3.11 to 3.13), written by hand because no maintained
package provides one; a message argparse adds later and this catalogue lacks stays English, and
tests/test_editeurs.py fails on it.
"""
from __future__ import annotations

import argparse

FRANCAIS = {
    "usage: ": "utilisation : ",
    "positional arguments": "arguments",
    "options": "options",
    "optional arguments": "options",
    "show this help message and exit": "affiche cette aide et s'arrête",
    "subcommands": "commandes",
    "argument %(argument_name)s: %(message)s": "argument %(argument_name)s : %(message)s",
    "%(prog)s: error: %(message)s\n": "%(prog)s : erreur : %(message)s\n",
    "the following arguments are required: %s": "arguments obligatoires manquants : %s",
    "unrecognized arguments: %s": "arguments non reconnus : %s",
    "expected one argument": "une valeur est attendue après cette option",
    "expected at most one argument": "au plus une valeur est attendue",
    "expected at least one argument": "au moins une valeur est attendue",
    "invalid choice: %(value)r (choose from %(choices)s)": "choix « %(value)s » inconnu (possibles : %(choices)s)",
    "invalid %(type)s value: %(value)r": "valeur « %(value)s » invalide (%(type)s attendu)",
    "ambiguous option: %(option)s could match %(matches)s":
        "option ambiguë : %(option)s peut désigner %(matches)s",
    "not allowed with argument %s": "incompatible avec l'argument %s",
    "ignored explicit argument %r": "valeur %r ignorée",
    "one of the arguments %s is required": "l'un des arguments %s est obligatoire",
    "unexpected option string: %s": "option inattendue : %s",
    "can't open '%(filename)s': %(error)s": "impossible d'ouvrir « %(filename)s » : %(error)s",
    "unknown parser %(parser_name)r (choices: %(choices)s)":
        "commande « %(parser_name)s » inconnue (possibles : %(choices)s)",
    "expected %s argument": "%s valeur attendue",
    "expected %s arguments": "%s valeurs attendues",
    "default: %(default)s": "par défaut : %(default)s",
}


def _gettext(message):
    return FRANCAIS.get(message, message)


def _ngettext(singular, plural, n):
    return _gettext(singular if n == 1 else plural)


class ArgumentParser(argparse.ArgumentParser):
    """argparse.ArgumentParser whose own words are French (help, usage, errors)."""

    def __init__(self, *args, **kwargs):
        # argparse looks these two names up in its module at each call: the catalogue applies to every parser
        # of the process, which is the one command being run.
        argparse._ = _gettext
        argparse.ngettext = _ngettext
        super().__init__(*args, **kwargs)
