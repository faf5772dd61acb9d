import { periodParts, previousPeriod, type Period } from '../../../shared/calendar.js';
import type { MeResponse, MonthsResponse, SnapshotResponse } from '../../../shared/portal/contract.js';
import { api, ApiError } from '../api.js';
import { boardOf, type BoardRow } from '../lib/board.js';
import { SIGN_OFF_LABELS } from '../lib/labels.js';
import { reportViewOf, type ReportView } from '../lib/report.js';
import { hashOf } from '../lib/routes.js';
import { Bi, Columns, Loaded, Scroll, Status, useLoad } from './common.js';
import { Restatements } from './Restatements.js';

function Report({ report }: { report: ReportView }) {
  return (
    <div data-testid="report" data-period={report.period}>
      <p class="muted">
        {report.period} · <Bi text={{ zh: `生成于 ${report.generatedAt}`, en: `written ${report.generatedAt}` }} /> · catalog {report.catalogVersion}
      </p>
      {report.draft && (
        <p class="provisional-note" data-testid="draft-note">
          <Bi text={{ zh: `草稿：${report.period} 尚未发布，数据仍可能变化`, en: `Draft: ${report.period} is not yet published; its figures may still change` }} />
        </p>
      )}
      <p class="headline" data-headline>
        <Bi text={{ zh: `${report.headline.good} / ${report.headline.targets} 项目标已完成或按计划推进`, en: 'targets achieved or on track' }} />
      </p>
      {report.provisional > 0 && (
        <p class="provisional-note" data-testid="provisional-note">
          <span class="tag provisional"><Bi text={SIGN_OFF_LABELS.provisional} /></span>{' '}
          <Bi
            text={{
              zh: `${report.provisional} 项目标的数据尚未经部门负责人审核，标为“暂定”，不计入以上统计`,
              en: `${report.provisional} targets have figures not yet signed off by their department's head: marked provisional, they are left out of the counts above`,
            }}
          />
        </p>
      )}
      <ul class="chips">
        {report.headline.counts.map(({ status, label, count }) => (
          <li key={status} class={`progress-${status}`}>
            <Bi text={label} />: {count}
          </li>
        ))}
      </ul>
      {report.sections.map(({ department, indicators }) => (
        <section key={department.department} data-department={department.department}>
          <h3>
            <Bi text={department} />
          </h3>
          <Scroll label={`${department.zh} ${department.en}`}>
            <table>
              <Columns names={[{ zh: '指标', en: 'Indicator' }, { zh: '数值', en: 'Value' }, { zh: '目标', en: 'Target' }, { zh: '进度 / 应达', en: 'Progress / expected' }, { zh: '状态', en: 'Status' }]} />
              <tbody>
                {indicators.map((line) => (
                  <tr key={line.row.indicator} data-indicator={line.row.indicator} data-status={line.row.status}>
                    <th scope="row">
                      {line.row.zh}
                      <br />
                      <span class="en" lang="en">
                        {line.row.en}
                      </span>
                    </th>
                    <td data-sign-off={line.row.signOff ?? undefined}>
                      {line.value}
                      {line.provisional && (
                        <>
                          {' '}
                          <span class="tag provisional"><Bi text={SIGN_OFF_LABELS.provisional} /></span>
                        </>
                      )}
                      <br />
                      <span class="en">截至 {line.row.asOf ?? '–'} <span lang="en">as of {line.row.asOf ?? '–'}</span></span>
                      {line.row.explanation && (
                        <p class="explanation">
                          <Bi text={{ zh: '说明：', en: 'Explanation:' }} /> {line.row.explanation}
                        </p>
                      )}
                    </td>
                    <td>{line.target}</td>
                    <td>
                      {line.meter !== null && <meter min={0} max={1} value={line.meter} aria-hidden="true" />} {line.progress} / {line.expected}
                    </td>
                    <td class={`progress-${line.row.status}`}>
                      <Bi text={line.status} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </Scroll>
        </section>
      ))}
      <h3>
        <Bi text={{ zh: '报送情况', en: 'Reporting completeness and timeliness' }} />
      </h3>
      <Scroll label="报送情况 Completeness">
        <table>
          <Columns names={[{ zh: '部门', en: 'Department' }, { zh: '本月已报送', en: 'Reported' }, { zh: '报送时间', en: 'When' }, { zh: '按时', en: 'On time' }, { zh: '本年已报送', en: 'Months received' }, { zh: '本年按时', en: 'Months on time' }]} />
          <tbody>
            {report.completeness.map((line) => (
              <tr key={line.department.department} data-completeness={line.department.department}>
                <th scope="row"><Bi text={line.department} /></th>
                <td class={line.department.reported ? '' : 'no'}><Bi text={line.reported} /></td>
                <td>{line.latestUploadAt}</td>
                <td class={line.department.onTime === false ? 'no' : ''}>
                  <Bi text={line.onTime} /> <span class="en" lang="en">due {line.department.dueDate}</span>
                </td>
                <td>{line.department.monthsReceived} / {line.department.monthsExpected}</td>
                <td>{line.department.monthsOnTime} / {line.department.monthsExpected}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </Scroll>
      <h3>
        <Bi text={{ zh: '数据重述', en: 'Restatements' }} />
      </h3>
      <Restatements restatements={report.restatements} />
      <h3>
        <Bi text={{ zh: '快照文件', en: 'Snapshot files' }} />
      </h3>
      <ul class="files">
        {report.files.map(({ file, url }) => (
          <li key={file}>
            <a href={url}>
              {file}
            </a>
          </li>
        ))}
      </ul>
    </div>
  );
}

function Board({ rows, year }: { rows: BoardRow[]; year: number }) {
  const months = Array.from({ length: 12 }, (_, i) => i + 1);
  return (
    <Scroll label="看板表 Table of the board">
      <table data-testid="board" class="board">
        <caption>
          <Bi text={{ zh: `${year} 年各部门报送看板`, en: `Reporting by department, ${year}` }} />
        </caption>
        <thead>
          <tr>
            <th scope="col"><Bi text={{ zh: '部门', en: 'Department' }} /></th>
            {months.map((month) => (
              <th scope="col" key={month}>
                {month}月 <span class="en" lang="en">{new Date(Date.UTC(year, month - 1)).toLocaleString('en', { month: 'short', timeZone: 'UTC' })}</span>
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map(({ department, cells }) => (
            <tr key={department.id} data-department={department.id}>
              <th scope="row">
                <a href={hashOf({ page: 'department', department: department.id })}>
                  <Bi text={department} />
                </a>
              </th>
              {cells === null ? (
                <td colSpan={12} class="error">
                  <Bi text={{ zh: '未能读取', en: 'could not be read' }} />
                </td>
              ) : (
                cells.map((cell) => (
                  <td key={cell.period} data-period={cell.period} data-status={cell.status}>
                    <Status label={cell.label} kind={cell.status} />
                    {cell.uploadedAt && <div class="muted">{cell.uploadedAt}</div>}
                    <div>
                      <Bi text={cell.timeliness} />
                    </div>
                  </td>
                ))
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </Scroll>
  );
}

async function snapshotOf(period: Period): Promise<ReportView | null> {
  try {
    return reportViewOf(await api<SnapshotResponse>('snapshot', { params: { period } }));
  } catch (error) {
    if (error instanceof ApiError && error.code === 'snapshot.not_found') return null;
    throw error;
  }
}

/** Each department's months of the year; a department that cannot be read gets a row that says so. */
async function boardRows(me: MeResponse, year: number): Promise<BoardRow[]> {
  const answers = await Promise.allSettled(
    me.departments.map((d) => api<MonthsResponse>('months', { params: { department: d.id }, query: { year: String(year) } })),
  );
  const monthsOf = new Map(answers.flatMap((answer) => (answer.status === 'fulfilled' ? [[answer.value.department, answer.value.months] as const] : [])));
  return boardOf(me.departments, monthsOf);
}

/** The month's report for the reform office and its leaders, and the board of every department's year. */
export function LeadersPage({ me, period: chosen }: { me: MeResponse; period: Period | null }) {
  const period = chosen ?? previousPeriod(new Date());
  const { year } = periodParts(period);
  const report = useLoad(() => snapshotOf(period), [period]);
  const board = useLoad(() => boardRows(me, year), [me, year]);
  return (
    <main id="main">
      <h1>
        <Bi text={{ zh: '教育科技人才改革月度进展', en: 'Monthly progress of the education, science and talent targets' }} />
      </h1>
      <p class="field">
        <label for="period">
          <Bi text={{ zh: '月份', en: 'Month' }} />
        </label>
        <input
          id="period"
          type="month"
          value={period}
          required
          onChange={(event) => {
            const value = event.currentTarget.value;
            if (value) location.hash = hashOf({ page: 'leaders', period: value });
          }}
        />
      </p>
      <section class="panel" aria-labelledby="report-heading">
        <h2 id="report-heading">
          <Bi text={{ zh: `${period} 月度报告`, en: `Report of ${period}` }} />
        </h2>
        <Loaded load={report}>
          {(view) =>
            view ? (
              <Report report={view} />
            ) : (
              <p data-testid="report-missing">
                <Bi text={{ zh: `${period} 的月度快照尚未生成`, en: `The snapshot of ${period} has not been written yet` }} />
              </p>
            )
          }
        </Loaded>
      </section>
      <section class="panel" aria-labelledby="board-heading">
        <h2 id="board-heading">
          <Bi text={{ zh: '报送看板', en: 'Board' }} />
        </h2>
        <Loaded load={board}>{(rows) => <Board rows={rows} year={year} />}</Loaded>
      </section>
    </main>
  );
}
