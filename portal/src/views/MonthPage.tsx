import { useEffect, useRef, useState } from 'preact/hooks';
import type { Period } from '../../../shared/calendar.js';
import type { DepartmentAccessView, FiguresUnderReview, MonthDetail, WarningView } from '../../../shared/portal/contract.js';
import type { Decision } from '../../../shared/review/review.js';
import { api, apiResponse } from '../api.js';
import { EXPLANATION_SOURCE_LABELS, MONTH_STATE_LABELS, SIGN_OFF_LABELS, type Bilingual } from '../lib/labels.js';
import { hashOf } from '../lib/routes.js';
import {
  approvalWaitsText,
  auditLineOf,
  correctionLinesOf,
  explanationsBodyOf,
  indicatorWords,
  reasonRequired,
  reviewBodyOf,
  underReviewOf,
  valueText,
  warnedFiguresOf,
  type WarnedFigure,
} from '../lib/sign-off.js';
import { districtTimeText } from '../lib/timeliness.js';
import { Bi, cellLabel, Columns, ErrorNote, Loaded, Scroll, Status, useLoad } from './common.js';
import { Restatements } from './Restatements.js';

const FIGURE_COLUMNS = [{ zh: '指标', en: 'Indicator' }, { zh: '数值', en: 'Value' }, { zh: '备注', en: 'Note' }, { zh: '单元格', en: 'Cell' }];
const CORRECTION_COLUMNS = [{ zh: '指标', en: 'Indicator' }, { zh: '已发布', en: 'Published' }, { zh: '更正为', en: 'Corrected to' }];
const AUDIT_COLUMNS = [{ zh: '时间', en: 'When' }, { zh: '操作人', en: 'Who' }, { zh: '操作', en: 'What' }, { zh: '指标', en: 'Indicator' }, { zh: '理由或说明', en: 'Why' }];

const DECIDED: Record<Decision, Bilingual> = {
  approve: { zh: '已审核通过', en: 'Approved' },
  return: { zh: '已退回', en: 'Returned' },
};
const EXPLAINED: Bilingual = { zh: '说明已保存', en: 'Explanations saved' };

/** A month's sign-off: where it stands, its figures and warnings, the decision, the restatements and the trail. */
export function MonthPage({ department, period }: { department: DepartmentAccessView; period: Period }) {
  const load = useLoad(() => api<MonthDetail>('month', { params: { department: department.id, period } }), [department.id, period]);
  // A decision or a save answers the month anew; the page shows that rather than read it again.
  const [changed, setChanged] = useState<MonthDetail | null>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  // Reached by a link from a row that is gone now: focus starts at the page's heading, not at the top of the document.
  useEffect(() => heading.current?.focus(), []);
  return (
    <main id="main">
      <p>
        <a href={hashOf({ page: 'department', department: department.id })}>
          ← <Bi text={{ zh: `返回${department.zh}各月报送`, en: `Back to the months of ${department.en}` }} />
        </a>
      </p>
      <h1 tabIndex={-1} ref={heading}>
        <Bi text={{ zh: `${department.zh} ${period} 审核`, en: `Sign-off of ${period}, ${department.en}` }} />
      </h1>
      <Loaded load={load}>{(read) => <SignOff detail={changed ?? read} onChanged={setChanged} />}</Loaded>
    </main>
  );
}

interface SignOffProps {
  detail: MonthDetail;
  onChanged: (detail: MonthDetail) => void;
}

function SignOff({ detail, onChanged }: SignOffProps) {
  const [notice, setNotice] = useState<Bilingual | null>(null);
  const noticeRef = useRef<HTMLParagraphElement>(null);
  // The buttons pressed may be gone from the new page: focus goes to what became of the step.
  useEffect(() => noticeRef.current?.focus(), [notice]);
  const changedBy = (what: Bilingual) => (next: MonthDetail) => {
    onChanged(next);
    // A copy, so that the same step twice still moves the focus.
    setNotice({ ...what });
  };
  const reviewed = underReviewOf(detail);
  const mayDecide = detail.may.approve || detail.may.return;
  return (
    <>
      <p class="state" data-testid="sign-off-state" data-state={detail.state}>
        <Status label={MONTH_STATE_LABELS[detail.state]} kind={detail.state} />
        {detail.signOff && (
          <span class="tag" data-sign-off={detail.signOff}>
            <Bi text={SIGN_OFF_LABELS[detail.signOff]} />
          </span>
        )}
        {detail.lockedAt && (
          <span class="muted">
            {' '}
            <Bi text={{ zh: `${districtTimeText(detail.lockedAt)} 发布`, en: `published ${districtTimeText(detail.lockedAt)}` }} />
          </span>
        )}
      </p>
      {notice && (
        <p class="notice" role="status" tabIndex={-1} ref={noticeRef} data-testid="notice">
          <Bi text={notice} />
        </p>
      )}
      {detail.returned && (
        <section class="returned" aria-labelledby="returned-heading" data-testid="returned">
          <h2 id="returned-heading">
            <Bi text={{ zh: '退回原因', en: 'Why the month was returned' }} />
          </h2>
          <p class="reason">{detail.returned.reason}</p>
          <p class="muted">
            {detail.returned.by} · {districtTimeText(detail.returned.at)}
          </p>
        </section>
      )}
      {detail.correction && (
        <section class="panel" aria-labelledby="correction-heading" data-testid="correction">
          <h2 id="correction-heading">
            <Bi text={{ zh: '待批准的更正', en: 'Correction waiting for approval' }} />
          </h2>
          <Correction detail={detail} correction={detail.correction} />
          <Figures figures={detail.correction} explain={detail.may.explain} month={detail} onExplained={changedBy(EXPLAINED)} />
        </section>
      )}
      {reviewed && mayDecide && <DecisionForm detail={detail} figures={reviewed} onDecided={(next, decision) => changedBy(DECIDED[decision])(next)} />}
      <section class="panel" aria-labelledby="figures-heading">
        <h2 id="figures-heading">
          <Bi text={detail.correction ? { zh: '已发布的数据', en: 'Published figures' } : { zh: '本月数据', en: "The month's figures" }} />
        </h2>
        {detail.current ? (
          <Figures figures={detail.current} explain={detail.may.explain && !detail.correction} month={detail} onExplained={changedBy(EXPLAINED)} />
        ) : (
          <p class="muted"><Bi text={{ zh: '尚未收到本月报表', en: 'No workbook for the month yet' }} /></p>
        )}
      </section>
      <section class="panel" aria-labelledby="restatements-heading">
        <h2 id="restatements-heading">
          <Bi text={{ zh: '数据重述', en: 'Restatements' }} />
        </h2>
        <Restatements restatements={detail.restatements} />
      </section>
      <section class="panel" aria-labelledby="audit-heading">
        <h2 id="audit-heading">
          <Bi text={{ zh: '审核记录', en: 'Audit trail' }} />
        </h2>
        <AuditTrail detail={detail} />
      </section>
    </>
  );
}

function Correction({ detail, correction }: { detail: MonthDetail; correction: FiguresUnderReview }) {
  const lines = correctionLinesOf(detail.current?.figures ?? [], correction.figures);
  if (lines.length === 0) return <p><Bi text={{ zh: '更正未改变任何数值', en: 'The correction changes no figure' }} /></p>;
  return (
    <Scroll label="更正 Correction">
      <table data-testid="correction-changes" class="reflow">
        <Columns names={CORRECTION_COLUMNS} />
        <tbody>
          {lines.map((line) => (
            <tr key={line.indicator} data-indicator={line.indicator}>
              <th scope="row"><Bi text={line.name} /></th>
              <td data-label={cellLabel(CORRECTION_COLUMNS[1])}>{line.from}</td>
              <td data-label={cellLabel(CORRECTION_COLUMNS[2])}>→ {line.to}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </Scroll>
  );
}

interface FiguresProps {
  figures: FiguresUnderReview;
  /** Whether the user may explain these figures' warnings here. */
  explain: boolean;
  month: Pick<MonthDetail, 'department' | 'period'>;
  onExplained: (detail: MonthDetail) => void;
}

function Figures({ figures, explain, month, onExplained }: FiguresProps) {
  return (
    <>
      <p class="muted">
        {figures.fileName} · {figures.uploader ?? '–'} · {districtTimeText(figures.uploadedAt)} ·{' '}
        <Bi text={{ zh: `第 ${figures.revision} 版`, en: `revision ${figures.revision}` }} />
      </p>
      <Scroll label="数据 Figures">
        <table data-testid={`figures-${figures.revision}`} class="reflow">
          <Columns names={FIGURE_COLUMNS} />
          <tbody>
            {figures.figures.map((figure) => (
              <tr key={figure.indicator} data-indicator={figure.indicator}>
                <th scope="row"><Bi text={indicatorWords(figure.indicator)} /></th>
                <td data-label={cellLabel(FIGURE_COLUMNS[1])}>{valueText(figure.indicator, figure.value)}</td>
                <td data-label={cellLabel(FIGURE_COLUMNS[2])}>{figure.note ?? '–'}</td>
                <td data-label={cellLabel(FIGURE_COLUMNS[3])}>{figure.sheet}!{figure.cell}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </Scroll>
      {figures.warnings.length > 0 &&
        (explain ? (
          <ExplainForm figures={figures} month={month} onExplained={onExplained} />
        ) : (
          <Warnings warnings={figures.warnings} />
        ))}
    </>
  );
}

function WarningTexts({ figure }: { figure: WarnedFigure }) {
  return (
    <>
      <strong><Bi text={indicatorWords(figure.indicator)} /></strong>
      {figure.warnings.map((warning) => (
        <span key={`${warning.code} ${warning.cell ?? ''}`} class="warning">
          {' '}
          {warning.cell && <span class="muted">({warning.sheet}!{warning.cell})</span>} {warning.message}
        </span>
      ))}
    </>
  );
}

function ExplanationText({ explanation }: { explanation: WarnedFigure['explanation'] }) {
  if (!explanation) return <span class="no"><Bi text={{ zh: '尚未说明', en: 'not explained yet' }} /></span>;
  return (
    <>
      <q>{explanation.text}</q>{' '}
      <span class="muted">
        {explanation.by} · {districtTimeText(explanation.at)} · <Bi text={EXPLANATION_SOURCE_LABELS[explanation.source]} />
      </span>
    </>
  );
}

const WARNINGS_HEADING: Bilingual = { zh: '需说明的警告', en: 'Warnings to explain' };

function Warnings({ warnings }: { warnings: WarningView[] }) {
  return (
    <>
      <h3><Bi text={WARNINGS_HEADING} /></h3>
      <ul class="warnings" data-testid="warnings">
        {warnedFiguresOf(warnings).map((figure) => (
          <li key={figure.indicator} data-indicator={figure.indicator} data-explained={String(figure.explanation !== null)}>
            <p><WarningTexts figure={figure} /></p>
            <p><ExplanationText explanation={figure.explanation} /></p>
          </li>
        ))}
      </ul>
    </>
  );
}

function ExplainForm({ figures, month, onExplained }: Omit<FiguresProps, 'explain'>) {
  const warned = warnedFiguresOf(figures.warnings);
  const [drafts, setDrafts] = useState<Record<string, string>>(() => Object.fromEntries(warned.map((w) => [w.indicator, w.explanation?.text ?? ''])));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const params = { department: month.department, period: month.period };

  async function save(event: Event): Promise<void> {
    event.preventDefault();
    setError(null);
    setBusy(true);
    try {
      await apiResponse('explanations', { params, body: explanationsBodyOf(warned, drafts) });
      onExplained(await api<MonthDetail>('month', { params }));
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form onSubmit={(event) => void save(event)} data-testid="explain-form">
      <h3><Bi text={WARNINGS_HEADING} /></h3>
      <ul class="warnings" data-testid="warnings">
        {warned.map((figure) => {
          const id = `explain-${figures.revision}-${figure.indicator}`;
          return (
            <li key={figure.indicator} data-indicator={figure.indicator} data-explained={String(figure.explanation !== null)}>
              <p id={`${id}-warning`}><WarningTexts figure={figure} /></p>
              <p><ExplanationText explanation={figure.explanation} /></p>
              <label for={id}>
                <Bi text={{ zh: `说明：${indicatorWords(figure.indicator).zh}`, en: `Explanation of ${indicatorWords(figure.indicator).en || figure.indicator}` }} />
              </label>
              <textarea
                id={id}
                rows={2}
                aria-describedby={`${id}-warning`}
                value={drafts[figure.indicator] ?? ''}
                onInput={(event) => {
                  const text = event.currentTarget.value;
                  setDrafts((current) => ({ ...current, [figure.indicator]: text }));
                }}
              />
            </li>
          );
        })}
      </ul>
      {error !== null && <ErrorNote error={error} />}
      <button type="submit" disabled={busy} data-testid="save-explanations">
        <Bi text={{ zh: '保存说明', en: 'Save explanations' }} />
      </button>
    </form>
  );
}

interface DecisionFormProps {
  detail: MonthDetail;
  /** The figures decided on, whose revision the decision sends back. */
  figures: FiguresUnderReview;
  onDecided: (detail: MonthDetail, decision: Decision) => void;
}

function DecisionForm({ detail, figures, onDecided }: DecisionFormProps) {
  const [reason, setReason] = useState('');
  const [missing, setMissing] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const reasonRef = useRef<HTMLTextAreaElement>(null);
  const office = detail.correction !== null;
  const waits = detail.may.approve ? null : approvalWaitsText(figures);

  async function decide(decision: Decision): Promise<void> {
    setError(null);
    if (reasonRequired(detail, decision) && reason.trim() === '') {
      setMissing(true);
      reasonRef.current?.focus();
      return;
    }
    setMissing(false);
    setBusy(true);
    try {
      const next = await api<MonthDetail>('review', { params: { department: detail.department, period: detail.period }, body: reviewBodyOf(decision, reason, figures) });
      setReason('');
      onDecided(next, decision);
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  }

  return (
    <section class="panel decision" aria-labelledby="decision-heading" data-testid="decision">
      <h2 id="decision-heading">
        <Bi text={office ? { zh: '审批更正', en: 'Decide on the correction' } : { zh: '审核本月数据', en: "Sign off the month's figures" }} />
      </h2>
      <p class="field">
        <label for="decision-reason">
          <Bi
            text={
              office
                ? { zh: '理由（必填）', en: 'Reason (required)' }
                : { zh: '理由（退回时必填）', en: 'Reason (required to return)' }
            }
          />
        </label>
        <textarea
          id="decision-reason"
          ref={reasonRef}
          rows={3}
          value={reason}
          aria-invalid={missing}
          aria-describedby={missing ? 'decision-reason-missing' : undefined}
          onInput={(event) => setReason(event.currentTarget.value)}
        />
      </p>
      {missing && (
        <p id="decision-reason-missing" class="error">
          <Bi text={{ zh: '请填写理由', en: 'Give a reason' }} />
        </p>
      )}
      {error !== null && <ErrorNote error={error} />}
      {waits && (
        <p class="waits" data-testid="approval-waits">
          <Bi text={waits} />
        </p>
      )}
      <p class="buttons">
        {detail.may.approve && (
          <button type="button" class="primary" disabled={busy} data-testid="approve" onClick={() => void decide('approve')}>
            <Bi text={office ? { zh: '批准更正', en: 'Approve the correction' } : { zh: '审核通过', en: 'Approve' }} />
          </button>
        )}
        {detail.may.return && (
          <button type="button" disabled={busy} data-testid="return" onClick={() => void decide('return')}>
            <Bi text={office ? { zh: '退回更正', en: 'Return the correction' } : { zh: '退回', en: 'Return' }} />
          </button>
        )}
      </p>
    </section>
  );
}

function AuditTrail({ detail }: { detail: MonthDetail }) {
  if (detail.audit.length === 0) return <p class="muted"><Bi text={{ zh: '尚无记录', en: 'Nothing yet' }} /></p>;
  const label = (column: number) => cellLabel(AUDIT_COLUMNS[column]);
  return (
    <Scroll label="审核记录 Audit trail">
      <table data-testid="audit" class="reflow">
        <Columns names={AUDIT_COLUMNS} />
        <tbody>
          {detail.audit.map(auditLineOf).map((line, i) => (
            <tr key={i}>
              <td data-label={label(0)}>{line.at}</td>
              <td data-label={label(1)}>{line.by}</td>
              <td data-label={label(2)}><Bi text={line.what} /></td>
              <td data-label={label(3)}>{line.indicator ? <Bi text={line.indicator} /> : '–'}</td>
              <td data-label={label(4)}>{line.reason ?? '–'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </Scroll>
  );
}
