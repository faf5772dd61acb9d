import type { Logger } from '../ports.js';
import { annotateWorkbook, annotationLoad, CopyWouldLoseCells, findingsOf, isXlsxContainer } from '../workbook/annotate.js';
import type { BilingualText } from '../workbook/problems.js';
import type { Assessment } from './assess.js';

/**
 * The annotated copy of an upload: whether its workbook may be opened whole to mark it, and what the report
 * says of it. The ingest function and the CLI's `--out` decide the same way, so neither opens a workbook that
 * would take more memory than the function has.
 */

/**
 * What became of the annotated copy:
 * - written: it is at annotatedKey;
 * - pending: it was being written when this report was; a report left so means writing it was cut short;
 * - not_read: the file was refused before it could be read as a workbook;
 * - not_xlsx: a CSV upload, with no workbook to mark;
 * - too_large: opening the workbook whole would take more memory than the function has for it (message says why);
 * - failed: the workbook could not be opened or written again; the report lists every problem all the same.
 */
export type AnnotationStatus = 'written' | 'pending' | 'not_read' | 'not_xlsx' | 'too_large' | 'failed';

export interface Annotation {
  status: AnnotationStatus;
  /** Chinese, then English. */
  message: string;
}

const ANNOTATION_TEXT: Record<AnnotationStatus, BilingualText> = {
  written: { zh: '批注副本中已标出每个问题所在的单元格', en: 'The annotated copy marks the cell of every problem' },
  pending: {
    zh: '批注副本正在生成；如本报告一直如此，说明生成中断，没有批注副本，问题见本报告',
    en: 'The annotated copy is being written; if this report stays so, writing it was cut short and there is none: the problems are listed here',
  },
  not_read: { zh: '文件未能作为工作簿读取，没有批注副本，问题见本报告', en: 'The file could not be read as a workbook, so there is no annotated copy: the problem is listed here' },
  not_xlsx: { zh: 'CSV 文件没有可标注的工作簿，问题见本报告', en: 'A CSV file has no workbook to mark: the problems are listed here' },
  too_large: { zh: '工作簿过大，无法生成批注副本，问题见本报告', en: 'The workbook is too large to annotate: the problems are listed here' },
  failed: { zh: '批注副本未能生成，问题见本报告', en: 'The annotated copy could not be written: the problems are listed here' },
};

export function annotation(status: AnnotationStatus, detail?: BilingualText): Annotation {
  const { zh, en } = ANNOTATION_TEXT[status];
  return { status, message: detail ? `${zh}（${detail.zh}） / ${en} (${detail.en})` : `${zh} / ${en}` };
}

/** How much a workbook may be to be opened whole. */
export interface AnnotationBounds {
  /** Files above this size get the JSON summary alone. */
  maxAnnotatedBytes: number;
  /** The most objects opening the workbook may make (cells, merged cells, validated cells, column formats): the read limit on cells. */
  maxCells: number;
}

/** A monthly workbook is tens of kilobytes; an .xlsx of this size already takes hundreds of megabytes opened whole. */
export const DEFAULT_MAX_ANNOTATED_BYTES = 2 * 2 ** 20;

/** Where a decision on an upload's copy is logged: the logger and the upload's key. */
interface AnnotationLog {
  logger: Pick<Logger, 'info' | 'warn'>;
  key: string;
}

/** Whether the workbook may be opened whole to annotate it: null when it may, else what the report says instead. */
export async function whyNotAnnotated(assessment: Assessment, bytes: Uint8Array, bounds: AnnotationBounds, { logger, key }: AnnotationLog): Promise<Annotation | null> {
  if (!assessment.workbookRead) return annotation('not_read');
  if (!isXlsxContainer(bytes)) return annotation('not_xlsx');
  if (bytes.byteLength > bounds.maxAnnotatedBytes) {
    logger.info('workbook too large to annotate', { key, bytes: bytes.byteLength, limit: bounds.maxAnnotatedBytes });
    const megabytes = (bounds.maxAnnotatedBytes / 2 ** 20).toFixed(0);
    return annotation('too_large', { zh: `文件超过 ${megabytes} MB`, en: `the file is larger than ${megabytes} MB` });
  }
  let load: number;
  try {
    load = await annotationLoad(bytes);
  } catch (error) {
    logger.warn('workbook could not be measured for annotation', { key, error: String(error) });
    return annotation('failed');
  }
  if (load > bounds.maxCells) {
    logger.info('workbook too large to annotate', { key, objects: load, limit: bounds.maxCells });
    return annotation('too_large', {
      zh: `合并单元格、数据验证、列格式和单元格打开后共 ${load} 个，超过 ${bounds.maxCells} 个`,
      en: `its merged cells, validations, column formats and cells open into ${load} objects, more than ${bounds.maxCells}`,
    });
  }
  return null;
}

/** What the clerk can do about a copy that could not be made: the figures were read, the program's layout is the obstacle. */
const COPY_WOULD_LOSE_CELLS: BilingualText = {
  zh: '保存此文件的软件的写法无法在副本中完整保留，请在 Excel 或 WPS 中另存为 .xlsx 后重新上传即可得到批注副本',
  en: 'the way the program that saved this file wrote it cannot be kept whole in a copy; save it as .xlsx in Excel or WPS and upload it again to get one',
};
const NOT_OPENED_AGAIN: BilingualText = {
  zh: '此文件读取无误，但无法再次打开以标注，请在 Excel 或 WPS 中另存为 .xlsx 后重新上传即可得到批注副本',
  en: 'the file was read, but could not be opened again to mark it; save it as .xlsx in Excel or WPS and upload it again to get one',
};

/** The workbook with its problems marked, for one whyNotAnnotated let through; or why there is none. */
export async function markedWorkbook(assessment: Assessment, bytes: Uint8Array, { logger, key }: AnnotationLog): Promise<Uint8Array | Annotation> {
  try {
    return await annotateWorkbook(bytes, findingsOf(assessment));
  } catch (error) {
    // The streaming reader took the file, so the figures stand; the clerk still gets the JSON summary.
    logger.warn('workbook could not be annotated', { key, error: String(error) });
    return annotation('failed', error instanceof CopyWouldLoseCells ? COPY_WOULD_LOSE_CELLS : NOT_OPENED_AGAIN);
  }
}
