"""Pure XLSForm and OpenRosa: no Django import anywhere in this package.

* :mod:`odk.xlsform` converts an XLSForm with pyxform, every problem located (:mod:`odk.issues`,
  :mod:`odk.workbook`, :mod:`odk.expressions`, :mod:`odk.translate`); :mod:`odk.questions` flattens
  its definition into question specs.
* :mod:`odk.openrosa` reads submissions and forms, writes OpenRosa documents, checks Digest logins.
"""
