/** Why a unit moved (custody `reason_code`) and why a swap waits for a supervisor (swap `flags`):
 *  the server stores a code and its parameters (server/services/reason_codes.py), never prose;
 *  reasonText() (core/i18n.js) puts them in words here, with the swap / fault / RMA references. */
export const REASONS = {
  'zh-CN': {
    custody_spare_installed: '作为备件装上', custody_sent_to_repair: '换下送修',
    custody_spare_stocked: '备件放入承包商库房', custody_rma_sent: '送修（返修单）',
    custody_rma_back_as_spare: '修好返回，留作备件', custody_rma_scrapped: '厂家报废',
    custody_swap_undone: '撤销更换，备件回库', custody_rma_swapped_back: '修好返回，换回原位',
    flag_spare_not_in_pool: '备件 {spare_tag} 已不在备件库，已被装上。',
    flag_faulty_moved_out: '故障设备 {faulty_tag} 已被移出原房间（状态：{status}）。',
    flag_faulty_in_other_room: '故障设备 {faulty_tag} 在服务器上位于房间 {room}，不是扫描时的房间 {expected_room}。',
    flag_other: '{text}',
    flag_not_assigned: '记录人 {user} 未被指派到会议 #{meeting}。',
    flag_incident_outside_hours: '事件时间 {started_at} 不在会议时段（前后各 1 小时）内，请核对手机时钟。',
    ref_place: '位置 {site} {room}', ref_swap: '更换单 #{swap}', ref_fault: '故障 #{fault}', ref_rma: '返修单 #{rma}',
    ref_open: '（', ref_sep: '，', ref_close: '）',
  },
  en: {
    custody_spare_installed: 'installed as a spare', custody_sent_to_repair: 'sent to repair',
    custody_spare_stocked: "spare placed in the contractor's store", custody_rma_sent: 'sent to repair (RMA)',
    custody_rma_back_as_spare: 'back from repair, kept as a spare', custody_rma_scrapped: 'scrapped by the vendor',
    custody_swap_undone: 'back to the pool: swap undone', custody_rma_swapped_back: 'back from repair, swapped back',
    flag_spare_not_in_pool: 'Spare {spare_tag} is no longer in the pool: it was installed.',
    flag_faulty_moved_out: 'Faulty unit {faulty_tag} was already moved out of its room (status {status}).',
    flag_faulty_in_other_room: 'Faulty unit {faulty_tag} is now in room {room} on the server, not in room {expected_room} where it was scanned.',
    flag_other: '{text}',
    flag_not_assigned: 'Recorded by {user}, who is not assigned to meeting #{meeting}.',
    flag_incident_outside_hours: "Incident time {started_at} is outside the meeting's hours (1 h either side); check the phone's clock.",
    ref_place: 'in {site} {room}', ref_swap: 'swap #{swap}', ref_fault: 'fault #{fault}', ref_rma: 'RMA #{rma}',
    ref_open: ' (', ref_sep: ', ', ref_close: ')',
  },
};
