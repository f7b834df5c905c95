/** The required password change (after an admin's one-time code, or a demo password outside the
 *  demo), shown by the phone and by every office page instead of the page itself. */
export const PASSWORD = {
  'zh-CN': {
    pw_change_title: '请设置新密码', pw_change_code: '你是用一次性登录码登录的。请设置一个新密码，以后用新密码登录。',
    pw_change_first: '首次登录须修改密码：演示密码人人都知道，不能在正式使用中保留。',
    pw_current: '当前密码', pw_new: '新密码', pw_repeat: '再次输入新密码', pw_mismatch: '两次输入的新密码不一致。',
    pw_policy: '至少 10 个字符，不能是用户名，也不能是常见密码；可以用几个词组成的短语。',
    pw_save: '设置新密码', pw_done: '新密码已设置。', pw_change_link: '修改密码',
  },
  en: {
    pw_change_title: 'Choose a new password', pw_change_code: 'You signed in with a one-time code. Choose a new password and use it from now on.',
    pw_change_first: 'First sign-in: the demo password is public and cannot stay in real use; choose your own.',
    pw_current: 'Current password', pw_new: 'New password', pw_repeat: 'New password again', pw_mismatch: 'The two new passwords differ.',
    pw_policy: 'At least 10 characters, not the username, not a common password; a phrase of several words works well.',
    pw_save: 'Set new password', pw_done: 'New password set.', pw_change_link: 'Change password',
  },
};
