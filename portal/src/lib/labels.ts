import type { MonthStatus, UploadStatus } from '../../../shared/portal/contract.js';
import type { AuditAction, Explanation, MonthState } from '../../../shared/review/review.js';

/** A piece of the page's text: Chinese first, English beside it. */
export interface Bilingual {
  zh: string;
  en: string;
}

/** A status as the page shows it: its words, and a mark that tells it apart without colour. */
export interface StatusLabel extends Bilingual {
  mark: string;
}

export const MONTH_STATUS_LABELS: Record<MonthStatus, StatusLabel> = {
  not_received: { zh: '未收到', en: 'not received', mark: '○' },
  processing: { zh: '检查中', en: 'processing', mark: '…' },
  accepted: { zh: '已接收', en: 'accepted', mark: '✓' },
  rejected: { zh: '未通过', en: 'rejected', mark: '✗' },
  corrected: { zh: '已更正', en: 'corrected', mark: '✓↻' },
};

export const UPLOAD_STATUS_LABELS: Record<UploadStatus, StatusLabel> = {
  processing: { zh: '检查中', en: 'processing', mark: '…' },
  accepted: { zh: '已通过', en: 'accepted', mark: '✓' },
  rejected: { zh: '未通过', en: 'rejected', mark: '✗' },
  failed: { zh: '检查失败', en: 'check failed', mark: '!' },
};

/** A month counts as reported once a workbook for it was accepted, first time or as a correction. */
export const isReported = (status: MonthStatus) => status === 'accepted' || status === 'corrected';

/** Where a month's sign-off stands, beside whether its workbook was received (MONTH_STATUS_LABELS). */
export const MONTH_STATE_LABELS: Record<MonthState, StatusLabel> = {
  not_received: { zh: '未报送', en: 'not received', mark: '○' },
  submitted: { zh: '待审核', en: 'submitted', mark: '…' },
  returned: { zh: '已退回', en: 'returned', mark: '←' },
  approved: { zh: '已审核', en: 'approved', mark: '✓' },
  locked: { zh: '已发布锁定', en: 'locked', mark: '■' },
};

/** The page marks a figure official or provisional in the words of the month's report. */
export { SIGN_OFF_LABELS } from '../../../shared/snapshot/report-model.js';

/** Each step of a month's sign-off as its audit trail says it. */
export const AUDIT_ACTION_LABELS: Record<AuditAction, Bilingual> = {
  submitted: { zh: '提交', en: 'submitted' },
  explained: { zh: '填写说明', en: 'explained a warning' },
  returned: { zh: '退回', en: 'returned' },
  approved: { zh: '审核通过', en: 'approved' },
  locked: { zh: '发布锁定', en: 'locked by the published snapshot' },
  correction_submitted: { zh: '提交更正', en: 'submitted a correction' },
  correction_returned: { zh: '退回更正', en: 'returned the correction' },
  restated: { zh: '批准更正（数据重述）', en: 'approved the correction (restated)' },
  target_revised: { zh: '调整目标', en: 'revised a target' },
};

export const EXPLANATION_SOURCE_LABELS: Record<Explanation['source'], Bilingual> = {
  portal: { zh: '网上填写', en: 'typed on the portal' },
  workbook: { zh: '报表备注', en: "the workbook's note" },
};
