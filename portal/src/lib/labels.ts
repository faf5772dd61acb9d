import type { MonthStatus, UploadStatus } from '../../../shared/portal/contract.js';

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
