import type { Restatement } from '../../../shared/review/review.js';
import { restatementLineOf } from '../lib/sign-off.js';
import { Bi, cellLabel, Columns, Scroll } from './common.js';

const COLUMNS = [
  { zh: '部门', en: 'Department' },
  { zh: '指标', en: 'Indicator' },
  { zh: '月份', en: 'Month' },
  { zh: '原值 → 新值', en: 'Old → new' },
  { zh: '批准时间', en: 'When' },
  { zh: '理由', en: 'Why' },
  { zh: '批准人', en: 'Approved by' },
];

/** Published figures changed by approved corrections: the month page's and the leaders' page's list alike. */
export function Restatements({ restatements }: { restatements: readonly Restatement[] }) {
  if (restatements.length === 0) return <p class="muted"><Bi text={{ zh: '没有数据重述', en: 'No restatements' }} /></p>;
  const label = (column: number) => cellLabel(COLUMNS[column]);
  return (
    <Scroll label="数据重述 Restatements">
      <table data-testid="restatements" class="reflow">
        <Columns names={COLUMNS} />
        <tbody>
          {restatements.map(restatementLineOf).map((line) => (
            <tr key={line.key} data-indicator={line.indicator}>
              <td data-label={label(0)}><Bi text={line.department} /></td>
              <td data-label={label(1)}><Bi text={line.name} /></td>
              <td data-label={label(2)}>{line.period}</td>
              <td data-label={label(3)}>{line.from} → {line.to}</td>
              <td data-label={label(4)}>{line.approvedAt}</td>
              <td data-label={label(5)}>{line.reason}</td>
              <td data-label={label(6)}>{line.approvedBy}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </Scroll>
  );
}
