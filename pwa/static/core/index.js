/** The front-end core shared by the field app and the office pages: text, enum labels, errors, API. */
import {register} from './i18n.js';
import {COMMON} from './dict/common.js';
import {ENUMS} from './dict/enums.js';
import {ERRORS} from './dict/errors.js';
import {REASONS} from './dict/reasons.js';
import {PASSWORD} from './dict/password.js';
import {MEETINGS, MEETING_ERRORS, MEETING_ENUMS} from './dict/meetings.js';
import {REMINDERS, REMINDER_ENUMS} from './dict/reminders.js';
import {SYNC} from './dict/sync.js';

register(COMMON, ENUMS);
register(ERRORS);
register(REASONS);
register(PASSWORD);
register(MEETINGS, MEETING_ENUMS);
register(MEETING_ERRORS);
register(REMINDERS, REMINDER_ENUMS);
register(SYNC);

export * from './i18n.js';
export * from './api.js';
