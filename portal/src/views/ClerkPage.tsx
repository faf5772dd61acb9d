import { useRef, useState } from 'preact/hooks';
import { periodAt, periodParts } from '../../../shared/calendar.js';
import type { DepartmentAccessView, MonthsResponse, MonthView, UploadsResponse, UploadView } from '../../../shared/portal/contract.js';
import { api, apiResponse, download } from '../api.js';
import { fileNameOfDisposition } from '../lib/api-paths.js';
import { MONTH_STATE_LABELS, MONTH_STATUS_LABELS, UPLOAD_STATUS_LABELS } from '../lib/labels.js';
import { hashOf } from '../lib/routes.js';
import { districtTimeText, timelinessOf } from '../lib/timeliness.js';
import { verdictOf } from '../lib/verdict.js';
import { Bi, cellLabel, Columns, ErrorNote, Loaded, Scroll, Status, useLoad } from './common.js';
import { UploadPanel, type Shown } from './UploadPanel.js';
import { VerdictView } from './VerdictView.js';

/** The years the picker offers: this one and the four before it. */
const YEARS_BACK = 4;

const thisYear = () => periodParts(periodAt(new Date())).year;

/** The month's sign-off once it has figures: its state, and for a returned month the head's reason, which the clerk acts on. */
function MonthSignOff({ month }: { month: MonthView }) {
  if (!month.state || month.state === 'not_received') return null;
  return (
    <div class="sign-off" data-testid="month-state" data-state={month.state}>
      <Status label={MONTH_STATE_LABELS[month.state]} kind={month.state} />
      {month.returnedReason && (
        <p class="returned-reason" data-testid="returned-reason">
          <Bi text={{ zh: '退回原因：', en: 'Returned:' }} /> {month.returnedReason}
        </p>
      )}
    </div>
  );
}

function LatestUpload({ month }: { month: MonthView }) {
  const upload = month.latestUpload;
  if (!upload) return <>–</>;
  return (
    <>
      <span class="file">{upload.fileName}</span>
      <br />
      <span class="muted">
        {upload.user ?? '–'} · {districtTimeText(upload.uploadedAt)} · <Bi text={UPLOAD_STATUS_LABELS[upload.status]} />
      </span>
    </>
  );
}

interface MonthsTableProps {
  department: string;
  months: MonthView[];
  mayUpload: boolean;
  onTemplate: (period: string) => void;
  onUploadFor: (period: string) => void;
}

const MONTH_COLUMNS = [
  { zh: '月份', en: 'Month' },
  { zh: '截止日期', en: 'Due' },
  { zh: '状态', en: 'Status' },
  { zh: '是否按时', en: 'On time' },
  { zh: '最近上传', en: 'Latest upload' },
  { zh: '操作', en: 'Actions' },
];
const UPLOAD_COLUMNS = [{ zh: '时间', en: 'Time' }, { zh: '文件', en: 'File' }, { zh: '月份', en: 'Month' }, { zh: '上传人', en: 'User' }, { zh: '状态', en: 'Status' }];

function MonthsTable({ department, months, mayUpload, onTemplate, onUploadFor }: MonthsTableProps) {
  const label = (column: number) => cellLabel(MONTH_COLUMNS[column]);
  return (
    <Scroll label="各月报送 Months">
      <table data-testid="months" class="reflow">
        <Columns names={MONTH_COLUMNS} />
        <tbody>
          {months.map((month) => (
            <tr key={month.period} data-testid={`month-${month.period}`} data-status={month.status}>
              <th scope="row">
                <a href={hashOf({ page: 'month', department, period: month.period })} data-testid={`open-${month.period}`}>
                  {month.period}
                  <span class="visually-hidden"> 查看审核 Open the sign-off</span>
                </a>
              </th>
              <td data-label={label(1)}>{month.due ?? '待定 not yet known'}</td>
              <td data-label={label(2)} data-testid="month-status" data-status={month.status}>
                <Status label={MONTH_STATUS_LABELS[month.status]} kind={month.status} />
                <MonthSignOff month={month} />
              </td>
              <td data-label={label(3)}><Bi text={timelinessOf(month)} /></td>
              <td data-label={label(4)}><LatestUpload month={month} /></td>
              <td data-label={label(5)} class="actions">
                <button type="button" data-testid={`template-${month.period}`} onClick={() => onTemplate(month.period)}>
                  下载模板 <span lang="en">Template</span>
                  <span class="visually-hidden"> {month.period}</span>
                </button>
                {mayUpload && (
                  <button type="button" onClick={() => onUploadFor(month.period)}>
                    上传本月 <span lang="en">Upload for this month</span>
                    <span class="visually-hidden"> {month.period}</span>
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </Scroll>
  );
}

function UploadsList({ uploads, onOpen }: { uploads: UploadView[]; onOpen: (upload: UploadView) => void }) {
  if (uploads.length === 0) return <p class="muted"><Bi text={{ zh: '尚无上传记录', en: 'No uploads yet' }} /></p>;
  return (
    <Scroll label="上传记录表 Table of uploads">
      <table data-testid="uploads" class="reflow">
        <Columns names={UPLOAD_COLUMNS} />
        <tbody>
          {uploads.map((upload) => (
            <tr key={upload.uploadId} data-upload={upload.uploadId}>
              <td data-label={cellLabel(UPLOAD_COLUMNS[0])}>{districtTimeText(upload.requestedAt)}</td>
              <td data-label={cellLabel(UPLOAD_COLUMNS[1])}>
                <button type="button" class="link" onClick={() => onOpen(upload)}>
                  {upload.fileName}
                  <span class="visually-hidden"> 查看结果 View the verdict</span>
                </button>
              </td>
              <td data-label={cellLabel(UPLOAD_COLUMNS[2])}>{upload.period ?? '–'}</td>
              <td data-label={cellLabel(UPLOAD_COLUMNS[3])}>{upload.user}</td>
              <td data-label={cellLabel(UPLOAD_COLUMNS[4])}><Status label={UPLOAD_STATUS_LABELS[upload.status]} kind={upload.status} /></td>
            </tr>
          ))}
        </tbody>
      </table>
    </Scroll>
  );
}

function VerdictRegion({ shown }: { shown: Shown }) {
  return (
    <section class={shown.kind === 'none' ? 'verdict' : 'panel verdict'} aria-live="polite" data-testid="verdict" data-status={shown.kind === 'upload' ? shown.upload.status : undefined}>
      <h2 class="visually-hidden">
        <Bi text={{ zh: '检查结果', en: 'Verdict' }} />
      </h2>
      {shown.kind === 'sending' && (
        <p>
          <Bi text={{ zh: `正在上传 ${shown.fileName}…`, en: `Uploading ${shown.fileName}…` }} />
        </p>
      )}
      {shown.kind === 'upload' && <VerdictView verdict={verdictOf(shown.upload)} />}
      {shown.kind === 'failed' && <ErrorNote error={shown.error} />}
      {shown.kind === 'timed_out' && (
        <p class="error" role="alert">
          <Bi
            text={{
              zh: `${shown.fileName} 五分钟内未检查完毕，可能是我们这边出了问题。数据未作改动；请稍后在上传记录中查看，或告知区改革办。`,
              en: `${shown.fileName} was not checked within five minutes, which means something went wrong on our side. Nothing was changed; look it up in the uploads below later, or tell the reform office.`,
            }}
          />
        </p>
      )}
    </section>
  );
}

/** A department's year: its months, the upload of a workbook and its verdict, and its uploads so far. */
export function ClerkPage({ department }: { department: DepartmentAccessView }) {
  const [year, setYear] = useState(thisYear);
  const [reread, setReread] = useState(0);
  const [uploadPeriod, setUploadPeriod] = useState('');
  const [shown, setShown] = useState<Shown>({ kind: 'none' });
  const [templateError, setTemplateError] = useState<unknown>(null);
  const fileInput = useRef<HTMLInputElement>(null);
  const params = { department: department.id };
  const months = useLoad(() => api<MonthsResponse>('months', { params, query: { year: String(year) } }), [department.id, year, reread]);
  const uploads = useLoad(() => api<UploadsResponse>('uploads', { params }), [department.id, reread]);
  const years = Array.from({ length: YEARS_BACK + 1 }, (_, i) => thisYear() - i);

  async function template(period: string): Promise<void> {
    setTemplateError(null);
    try {
      const response = await apiResponse('template', { params, query: { period } });
      await download(response, fileNameOfDisposition(response.headers.get('content-disposition')) ?? `${department.id}-${period}.xlsx`);
    } catch (error) {
      setTemplateError(error);
    }
  }

  async function openUpload(upload: UploadView): Promise<void> {
    setShown({ kind: 'upload', upload });
    try {
      // The list's links to annotated copies are short-lived: the verdict shows a fresh one.
      setShown({ kind: 'upload', upload: await api<UploadView>('upload', { params: { ...params, uploadId: upload.uploadId } }) });
    } catch (error) {
      setShown({ kind: 'failed', error });
    }
  }

  return (
    <main id="main">
      <h1>
        <Bi text={department} />
        {!department.upload && (
          <span class="tag">
            <Bi text={{ zh: '只读', en: 'read only' }} />
          </span>
        )}
      </h1>
      <section class="panel" aria-labelledby="months-heading">
        <div class="bar">
          <h2 id="months-heading">
            <Bi text={{ zh: `${year} 年各月报送`, en: `Months of ${year}` }} />
          </h2>
          <p class="field">
            <label for="year">
              <Bi text={{ zh: '年份', en: 'Year' }} />
            </label>
            <select id="year" value={String(year)} onChange={(event) => setYear(Number(event.currentTarget.value))}>
              {years.map((y) => (
                <option key={y} value={String(y)}>
                  {y}
                </option>
              ))}
            </select>
          </p>
        </div>
        {templateError !== null && <ErrorNote error={templateError} />}
        <Loaded load={months}>
          {({ months: rows }) => (
            <MonthsTable
              department={department.id}
              months={rows}
              mayUpload={department.upload}
              onTemplate={(period) => void template(period)}
              onUploadFor={(period) => {
                setUploadPeriod(period);
                fileInput.current?.focus();
              }}
            />
          )}
        </Loaded>
      </section>
      {department.upload && (
        <UploadPanel
          department={department.id}
          periods={months.state === 'ready' ? months.value.months.map((m) => m.period) : []}
          period={uploadPeriod}
          onPeriod={setUploadPeriod}
          onShown={setShown}
          onSettled={() => setReread((n) => n + 1)}
          inputRef={fileInput}
        />
      )}
      <VerdictRegion shown={shown} />
      <section class="panel" aria-labelledby="uploads-heading">
        <h2 id="uploads-heading">
          <Bi text={{ zh: '上传记录', en: 'Uploads' }} />
        </h2>
        <Loaded load={uploads}>{({ uploads: list }) => <UploadsList uploads={list} onOpen={(upload) => void openUpload(upload)} />}</Loaded>
      </section>
    </main>
  );
}
