/** The server's error code_names (server/errors.py and the AppErrors of server/services) and the sync
 *  rejection codes (docs/sync.md), in words: the screens show these, never the server's prose. */
export const ERRORS = {
  'zh-CN': {
    err_bad_request: '请求有误。', err_invalid: '内容有误，请检查后重新填写。', err_not_found: '服务器上没有找到。',
    err_conflict: '与服务器上已有的数据冲突。', err_unauthorized: '请先登录。', err_forbidden: '没有权限执行此操作。',
    err_too_many_attempts: '尝试次数过多，请稍后再试。', err_integrity: '与服务器上的数据不一致，未保存。',
    err_internal: '服务器出错，已记录。请稍后再试。', err_server_error: '服务器出错，请稍后再试。',
    err_busy: '服务器繁忙，将自动重试。', err_other_user: '这是另一位用户的记录，需由其本人登录发送。',
    err_supersede_forbidden: '不能更正这条记录（不是本人的，或已被更正）。', err_too_many_pixels: '照片像素过多。',
    err_too_large: '内容太大。', err_incomplete: '照片上传不完整。', err_unstorable_text: '文字中有无法保存的字符。',
    err_invalid_json: '数据格式有误。', err_csrf: '页面已过期，请刷新后重试。', err_network: '没有网络，稍后自动重试。',
    err_method_not_allowed: '不支持此操作。', err_unsupported_media_type: '文件类型不支持。',
    err_request_entity_too_large: '内容太大。', err_unprocessable_entity: '内容有误，请检查后重新填写。',
    err_job_expired: '该任务的文件已超过保留期限被删除，请重新生成。',
    err_invalid_event: '考核事件内容有误，请检查标出的项目。', err_other: '操作失败。', details: '详情',
  },
  en: {
    err_job_expired: 'This job\'s file was deleted after the retention period; build it again.',
    err_bad_request: 'Bad request.', err_invalid: 'Something is wrong in the input; check it and try again.',
    err_not_found: 'Not found on the server.', err_conflict: 'Conflicts with what the server has.',
    err_unauthorized: 'Sign in first.', err_forbidden: 'You may not do this.',
    err_too_many_attempts: 'Too many attempts; try again later.', err_integrity: 'Inconsistent with the server\'s data; not stored.',
    err_internal: 'Server error (logged). Try again later.', err_server_error: 'Server error; try again later.',
    err_busy: 'The server is busy; retrying by itself.', err_other_user: 'Another user\'s record: they must sign in to send it.',
    err_supersede_forbidden: 'This record cannot be corrected (not yours, or already corrected).',
    err_too_many_pixels: 'The photo has too many pixels.', err_too_large: 'Too large.', err_incomplete: 'The photo upload was incomplete.',
    err_unstorable_text: 'The text holds characters that cannot be stored.', err_invalid_json: 'Malformed data.',
    err_csrf: 'The page is stale; reload and try again.', err_network: 'No network; retrying later.',
    err_method_not_allowed: 'Not supported.', err_unsupported_media_type: 'File type not supported.',
    err_request_entity_too_large: 'Too large.', err_unprocessable_entity: 'Something is wrong in the input; check it and try again.',
    err_invalid_event: 'The assessment event is not valid; check the fields named.', err_other: 'It failed.', details: 'Details',
  },
};
