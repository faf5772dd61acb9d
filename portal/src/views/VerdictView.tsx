import type { Verdict, ProblemRow, SliceVerdict } from '../lib/verdict.js';
import { UPLOAD_STATUS_LABELS, type Bilingual } from '../lib/labels.js';
import { Bi, cellLabel, Columns, Scroll, Status } from './common.js';

const SEVERITY_TEXT = { error: { zh: '错误', en: 'error' }, warning: { zh: '提醒', en: 'warning' } } as const;
const PROBLEM_COLUMNS = [{ zh: '类别', en: 'Kind' }, { zh: '工作表', en: 'Sheet' }, { zh: '单元格', en: 'Cell' }, { zh: '代码', en: 'Code' }, { zh: '说明', en: 'Message' }];
const CHANGE_COLUMNS = [{ zh: '指标', en: 'Indicator' }, { zh: '变动', en: 'Change' }, { zh: '原值', en: 'From' }, { zh: '新值', en: 'To' }];

function Problems({ problems }: { problems: ProblemRow[] }) {
  if (problems.length === 0) return null;
  return (
    <Scroll label="问题 Problems">
      <table data-testid="problems" class="reflow">
        <caption>
          <Bi text={{ zh: '发现的问题', en: 'Problems found' }} />
        </caption>
        <Columns names={PROBLEM_COLUMNS} />
        <tbody>
          {problems.map((problem, i) => (
            <tr key={i} data-cell={problem.cell ?? ''} data-code={problem.code} class={`problem-${problem.severity}`}>
              <td data-label={cellLabel(PROBLEM_COLUMNS[0])}><Bi text={SEVERITY_TEXT[problem.severity]} /></td>
              <td data-label={cellLabel(PROBLEM_COLUMNS[1])}>{problem.sheet ?? '–'}</td>
              <td data-label={cellLabel(PROBLEM_COLUMNS[2])}>{problem.cell ?? '–'}</td>
              <td data-label={cellLabel(PROBLEM_COLUMNS[3])}><code>{problem.code}</code></td>
              <td data-label={cellLabel(PROBLEM_COLUMNS[4])}>{problem.message}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </Scroll>
  );
}

function Slice({ slice }: { slice: SliceVerdict }) {
  return (
    <div class="slice">
      <p>
        <strong>{slice.period}</strong>: <Bi text={slice.outcome} />
      </p>
      {slice.replaced && (
        <p>
          <Bi text={{ zh: '本次为更正，替换了', en: 'A correction; it replaced' }} /> <strong>{slice.replaced.fileName}</strong>
          {' '}
          <Bi text={{ zh: `（${slice.replaced.uploadedAt} 上传）`, en: `(uploaded ${slice.replaced.uploadedAt})` }} />
        </p>
      )}
      {slice.changes.length > 0 && (
        <Scroll label="变动 Changes">
          <table data-testid="changes" class="reflow">
            <caption>
              <Bi text={{ zh: `${slice.period} 逐项变动`, en: `Changes in ${slice.period}, figure by figure` }} />
            </caption>
            <Columns names={CHANGE_COLUMNS} />
            <tbody>
              {slice.changes.map((change) => (
                <tr key={`${change.period} ${change.indicator}`} data-indicator={change.indicator} data-change={change.change}>
                  <td data-label={cellLabel(CHANGE_COLUMNS[0])}>
                    {change.name ? <Bi text={change.name} /> : null} <code>{change.indicator}</code>
                  </td>
                  <td data-label={cellLabel(CHANGE_COLUMNS[1])}><Bi text={change.changeText} /></td>
                  <td data-label={cellLabel(CHANGE_COLUMNS[2])}>{change.from}</td>
                  <td data-label={cellLabel(CHANGE_COLUMNS[3])}>{change.to}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </Scroll>
      )}
    </div>
  );
}

/** What the verdict comes to, in a sentence. */
function summaryOf(verdict: Verdict): Bilingual {
  switch (verdict.status) {
    case 'processing':
      return { zh: '文件已收到，正在检查，请稍候…', en: 'The file has arrived and is being checked; please wait…' };
    case 'accepted': {
      const { rows, observations, warnings } = verdict.counts;
      const period = verdict.period ?? '';
      return {
        zh: `已接收 ${period} 的数据：读取 ${rows} 行，记录 ${observations} 项数值，提醒 ${warnings} 条`,
        en: `The figures of ${period} were accepted: ${rows} rows read, ${observations} figures recorded, ${warnings} warnings`,
      };
    }
    case 'rejected': {
      const errors = verdict.problems.filter((p) => p.severity === 'error').length;
      return {
        zh: `文件未通过检查（错误 ${errors} 条），未记录任何数据。请改正后重新上传。`,
        en: `The file did not pass the checks (${errors} errors) and nothing was recorded. Please correct it and upload it again.`,
      };
    }
    case 'failed':
      return {
        zh: '检查在我们这边未能完成，数据没有任何改动。请稍后重试；如仍不行，请告知区改革办。',
        en: 'The check could not be completed on our side and nothing was changed. Please try again later, or tell the reform office if it keeps failing.',
      };
  }
}

/** The verdict on one upload, in full: what was recorded and changed, or every problem and the annotated copy. */
export function VerdictView({ verdict }: { verdict: Verdict }) {
  return (
    <>
      <h3>
        <Status label={UPLOAD_STATUS_LABELS[verdict.status]} kind={verdict.status} /> <span class="file">{verdict.fileName}</span>
      </h3>
      <p>
        <Bi text={summaryOf(verdict)} />
      </p>
      {verdict.status === 'accepted' && verdict.slices.map((slice) => <Slice key={slice.period} slice={slice} />)}
      {verdict.status === 'rejected' &&
        (verdict.annotatedUrl ? (
          <p>
            <a href={verdict.annotatedUrl} download data-testid="annotated-link">
              <Bi text={{ zh: '下载标注副本', en: 'Download the annotated copy' }} />
            </a>
          </p>
        ) : (
          verdict.annotation && <p class="muted">{verdict.annotation}</p>
        ))}
      {verdict.status !== 'processing' && <Problems problems={verdict.problems} />}
    </>
  );
}
