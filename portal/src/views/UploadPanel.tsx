import type { Ref } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import type { UploadGrant, UploadRequestBody, UploadView } from '../../../shared/portal/contract.js';
import { api, sendToBucket } from '../api.js';
import { moreToCome, nextPollDelay } from '../lib/polling.js';
import { Bi } from './common.js';

/** What the verdict region shows: nothing yet, a file on its way, an upload and where it stands, or why it stopped. */
export type Shown =
  | { kind: 'none' }
  | { kind: 'sending'; fileName: string }
  | { kind: 'upload'; upload: UploadView }
  | { kind: 'failed'; error: unknown }
  | { kind: 'timed_out'; fileName: string };

/** The kinds of file the checks read. */
const ACCEPTED_FILES = '.xlsx,.xlsm,.csv';

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface UploadPanelProps {
  department: string;
  /** The months the clerk may name for the upload. */
  periods: string[];
  period: string;
  onPeriod: (period: string) => void;
  onShown: (shown: Shown) => void;
  /** Called once an upload's verdict is in, or it stopped: the months and uploads are read again. */
  onSettled: () => void;
  inputRef: Ref<HTMLInputElement>;
}

export function UploadPanel({ department, periods, period, onPeriod, onShown, onSettled, inputRef }: UploadPanelProps) {
  const [dragging, setDragging] = useState(false);
  // Each upload gets a turn; a newer upload, or leaving the page, ends the older one's polling.
  const turn = useRef(0);
  useEffect(
    () => () => {
      turn.current += 1;
    },
    [department],
  );

  async function follow(uploadId: string, fileName: string, mine: number): Promise<void> {
    const started = Date.now();
    for (;;) {
      const upload = await api<UploadView>('upload', { params: { department, uploadId } });
      if (turn.current !== mine) return;
      onShown({ kind: 'upload', upload });
      if (!moreToCome(upload)) return;
      const delay = nextPollDelay(Date.now() - started);
      if (delay === null) {
        onShown({ kind: 'timed_out', fileName });
        return;
      }
      await wait(delay);
      if (turn.current !== mine) return;
    }
  }

  async function start(file: File): Promise<void> {
    turn.current += 1;
    const mine = turn.current;
    onShown({ kind: 'sending', fileName: file.name });
    try {
      const body: UploadRequestBody = { fileName: file.name, size: file.size, ...(period ? { period } : {}) };
      const grant = await api<UploadGrant>('requestUpload', { params: { department }, body });
      await sendToBucket(grant, file);
      await follow(grant.uploadId, file.name, mine);
    } catch (error) {
      if (turn.current === mine) onShown({ kind: 'failed', error });
    }
    if (turn.current === mine) onSettled();
  }

  return (
    <section class="panel" aria-labelledby="upload-heading">
      <h2 id="upload-heading">
        <Bi text={{ zh: '上传工作簿', en: 'Upload a workbook' }} />
      </h2>
      <p class="field">
        <label for="upload-period">
          <Bi text={{ zh: '报送月份', en: 'Month' }} />
        </label>
        <select id="upload-period" value={period} onChange={(event) => onPeriod(event.currentTarget.value)}>
          <option value="">由工作簿决定 As the workbook says</option>
          {periods.map((p) => (
            <option key={p} value={p}>
              {p}
            </option>
          ))}
        </select>
      </p>
      <label
        class={dragging ? 'drop dragging' : 'drop'}
        onDragOver={(event) => {
          event.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={(event) => {
          event.preventDefault();
          setDragging(false);
          const file = event.dataTransfer?.files[0];
          if (file) void start(file);
        }}
      >
        <input
          ref={inputRef}
          class="visually-hidden"
          type="file"
          accept={ACCEPTED_FILES}
          data-testid="upload-input"
          onChange={(event) => {
            const input = event.currentTarget;
            const file = input.files?.[0];
            // Cleared so that choosing the same file again, once corrected, starts a new upload.
            input.value = '';
            if (file) void start(file);
          }}
        />
        <span class="drop-title">
          <Bi text={{ zh: '选择文件，或将文件拖放到这里', en: 'Choose a file, or drop it here' }} />
        </span>
        <span class="muted">
          <Bi text={{ zh: '月报工作簿：.xlsx、.xlsm 或 .csv', en: 'The monthly workbook: .xlsx, .xlsm or .csv' }} />
        </span>
      </label>
    </section>
  );
}
