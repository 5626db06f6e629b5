"""Block Kit action IDs and view callback IDs, shared by builders and the listeners."""

TASK_DONE = "task_done"
TASK_ADD_UPDATE = "task_add_update"
TASK_STATUS = "task_status"  # value "<status>:<task id>"
TASK_MENU = "task_menu"  # overflow on list rows; value "<verb>:<task id>"
TASK_LIST_PAGE = "task_list_page"  # value: JSON {"q": list arguments, "p": page}

MEETING_CALENDAR = "meeting_calendar"  # value: meeting id
AGENDA_TO_TASK = "agenda_to_task"  # value: agenda item id
MINUTES_REPLACE = "minutes_replace"  # value: pending change id
MINUTES_ADD = "minutes_add"  # value: pending change id
MINUTES_CANCEL = "minutes_cancel"  # value: pending change id
MINUTES_FORM = "minutes_form"  # value: meeting id; opens the attendance and minutes form
MINUTES_MODAL = "minutes_modal"  # callback id of that form
GROUP_MOVE = "group_move"  # value: pending change id
CANVAS_ADOPT = "canvas_adopt"  # value: trial id; the plan joins the channel's own canvas
GROUP_MOVE_CANCEL = "group_move_cancel"  # value: pending change id
FORGET_TEXT = "forget_text"  # value: pending change id; the name replaced in free text too
FORGET_TEXT_KEEP = "forget_text_keep"  # value: pending change id

DEADLINE_SUBMIT = "deadline_submit"  # value: deadline id
DEADLINE_SNOOZE = "deadline_snooze"  # value: deadline id
REPORT_DRAFT = "report_draft"  # value: trial id
CHECKIN_BLOCK_PREFIX = "checkin-"  # block_id of check-in buttons: answers are check-ins

UPDATE_VIEW = "update_view"
CREATE_TASK_VIEW = "create_task_view"

# Block and action IDs of the modals' inputs, read back from view_submission state.
UPDATE_TASK_BLOCK, UPDATE_TASK_INPUT = "task", "task_input"
UPDATE_STATUS_BLOCK, UPDATE_STATUS_INPUT = "status", "status_input"
UPDATE_PERCENT_BLOCK, UPDATE_PERCENT_INPUT = "percent", "percent_input"
UPDATE_TEXT_BLOCK, UPDATE_TEXT_INPUT = "text", "text_input"
CREATE_TITLE_BLOCK, CREATE_TITLE_INPUT = "title", "title_input"
CREATE_OWNER_BLOCK, CREATE_OWNER_INPUT = "owner", "owner_input"
CREATE_DUE_BLOCK, CREATE_DUE_INPUT = "due", "due_input"
CREATE_OUTCOME_BLOCK, CREATE_OUTCOME_INPUT = "outcome", "outcome_input"
