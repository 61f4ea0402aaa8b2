"""Questionnaires: versioned definitions held as data, GOV.UK forms, one validator, scores and levels.

The pieces a module uses:

* ``definition``: ``parse_definition(data)``, ``read_definition_file(path)`` and the JSON Schema
  (``schema.json``, published as ``docs/questionnaire.schema.json``);
* ``answers``: ``validate_answers(version, data) -> (cleaned, errors)``, ``score_answers``,
  ``display_answers``;
* ``models``: ``Questionnaire``, ``QuestionnaireVersion``, ``QuestionnaireResponse``;
* ``services``: ``add_version``, ``update_draft``, ``publish``, ``submit_response``, ``override_level``,
  ``import_questionnaire``;
* ``forms``: ``questionnaire_form(version, data=None, initial=None)``, a GOV.UK form;
* ``api``: ``AnswersSubmissionSerializer`` and ``QuestionnaireResponseSerializer`` for a module's API.

See docs/questionnaires.md.
"""
