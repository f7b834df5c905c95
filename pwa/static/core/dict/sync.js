/** Sync-state words: the phone's sync bar, storage advice and "never arrived" warning, and the
 *  review queue's line for phones whose unsent records vanished (docs/sync.md, "Outbox reports"). */
export const SYNC = {
  'zh-CN': {
    sync_ok: '已全部发送', sync_waiting: '{n} 条记录待发送', sync_offline: '离线：记录保存在本机，联网后自动发送',
    sync_unreachable: '无法连接服务器：记录保存在本机，将自动重试', sync_server_error: '服务器出错：记录保存在本机，将自动重试',
    sync_retry_in: '{n} 秒后重试', sync_last_ok: '上次成功同步：{time}', sync_failed_n: '{n} 条发送失败',
    never_arrived_phone: '有 {n} 条记录从未到达服务器：本机数据可能被清除过。请告诉主管，并按记录重新检查。',
    storage_granted: '浏览器已同意持久存储：数据不会因空间不足被自动清除。',
    storage_denied: '浏览器没有同意持久存储：空间不足或清除网站数据时，未发送的记录可能丢失。',
    storage_howto: '怎样保住本机数据', storage_this_browser: '您正在使用：{name}',
    browser_chrome: '谷歌浏览器 / 安卓浏览器', browser_wechat: '微信内置浏览器', browser_safari: '苹果手机浏览器',
    storage_tip_chrome: '在浏览器菜单中选"添加到主屏幕"或"安装应用"，以后从主屏幕图标打开，再点"开启持久存储"。不要在设置中清除本网站的数据。',
    storage_tip_wechat: '微信随时可能清理网页数据：请点右上角"…"，选"在浏览器打开"，用谷歌浏览器或手机自带浏览器登录后再使用。',
    storage_tip_safari: '点底部"分享"按钮，选"添加到主屏幕"，以后只从主屏幕图标打开；否则 7 天不用，苹果浏览器会删除本机记录。',
    q_lost: '未到达的记录', lost_line: '{n} 条记录从这台手机上消失，从未到达服务器', lost_phone: '手机编号',
    lost_user: '工程师', lost_reported: '最近报告', lost_waiting: '当时待发送',
  },
  en: {
    sync_ok: 'Everything sent', sync_waiting: '{n} records waiting to be sent', sync_offline: 'Offline: records are kept on this phone and sent when online',
    sync_unreachable: 'Cannot reach the server: records are kept on this phone; retrying', sync_server_error: 'Server error: records are kept on this phone; retrying',
    sync_retry_in: 'retry in {n} s', sync_last_ok: 'Last successful sync: {time}', sync_failed_n: '{n} failed',
    never_arrived_phone: '{n} records never reached the server: this phone\'s data may have been cleared. Tell your supervisor and check those devices again.',
    storage_granted: 'The browser granted persistent storage: it will not clear the data when space runs low.',
    storage_denied: 'The browser did not grant persistent storage: unsent records may be lost when space runs low or site data is cleared.',
    storage_howto: 'How to keep this phone\'s data', storage_this_browser: 'You are using: {name}',
    browser_chrome: 'Chrome / Android browser', browser_wechat: 'WeChat\'s built-in browser', browser_safari: 'Safari (iPhone)',
    storage_tip_chrome: 'In the browser menu choose "Add to Home screen" or "Install app", open it from the home screen, then tap "Make storage persistent". Do not clear this site\'s data in the settings.',
    storage_tip_wechat: 'WeChat may clear web data at any time: tap "…" at the top right, choose "Open in browser" and sign in with Chrome or the phone\'s own browser.',
    storage_tip_safari: 'Tap Share, then "Add to Home Screen", and open the app only from its icon; otherwise Safari deletes the records after 7 days unused.',
    q_lost: 'Records that never arrived', lost_line: '{n} records never arrived from this phone', lost_phone: 'Phone id',
    lost_user: 'Engineer', lost_reported: 'Last report', lost_waiting: 'Waiting then',
  },
};
