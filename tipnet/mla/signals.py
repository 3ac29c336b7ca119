"""The one signal the exchange listens to.

`transition_done` is sent after the transaction of every LOCAL transition commits (submit
included), never for a transition applied from the counterpart node. Keyword arguments:

* request: the MlaRequest after the transition;
* transition: the transition name (a key of lifecycle.TRANSITIONS);
* payload: JSON-able dict; for "submit" the whole request (wire.request_payload), otherwise the
  transition's fields;
* attachments: list of (filename, content_type, bytes); for "submit" the PDF letter, for
  "report_partial" and "report_executed" the result files.
"""

from django.dispatch import Signal

transition_done = Signal()
