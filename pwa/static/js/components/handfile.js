/** The outbox's hand-over by file (docs/handover-file.md): 导出文件 saves the unsent records and
 *  photos as one signed file (a Blob link: USB cable, WeChat file transfer); 导入回执 takes the
 *  office's receipt and marks the records it accepted sent. */
import {useState} from 'preact/hooks';
import {t} from '../i18n.js';
import {Section, html} from '../ui.js';
import {HandFileError, exportFile, importReceipt} from '../handfile.js';

const words = (err) => (err instanceof HandFileError ? t(err.key) : String(err?.message || err));

export function HandFile({ctx}) {
  const [link, setLink] = useState(null);
  const [message, setMessage] = useState(null);
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);

  async function exportNow() {
    setBusy(true); setError(null); setMessage(t('hf_exporting'));
    try {
      const made = await exportFile();
      if (link) URL.revokeObjectURL(link.url);
      const url = URL.createObjectURL(made.blob);
      setLink({url, name: made.name});
      setMessage(t('hf_exported', made));
      // Start the download at once; the link stays for a second try (or a "share" menu).
      Object.assign(document.createElement('a'), {href: url, download: made.name}).click();
    } catch (err) { setMessage(null); setError(words(err)); }
    finally { setBusy(false); }
  }

  async function receipt(event) {
    const file = event.target.files?.[0];
    event.target.value = '';
    if (!file) return;
    setBusy(true); setError(null); setMessage(null);
    try {
      setMessage(t('hf_receipt_done', await importReceipt(file)));
      ctx.refreshCounts?.();
    } catch (err) { setError(words(err)); }
    finally { setBusy(false); }
  }

  return html`<${Section} title=${t('hf_title')}><div data-testid="handfile">
    <p class="xj-muted">${t('hf_intro')}</p>
    <button class="weui-btn weui-btn_default xj-btn" data-testid="hf-export" disabled=${busy} onClick=${exportNow}>${t('hf_export')}</button>
    ${link ? html`<a class="weui-btn weui-btn_default xj-btn" data-testid="hf-download" href=${link.url} download=${link.name}>${t('hf_download')}</a>` : null}
    <label class="xj-label" for="hf-receipt">${t('hf_receipt')}</label>
    <input id="hf-receipt" type="file" data-testid="hf-receipt" accept=".xjreceipt,application/x-ndjson,text/plain" disabled=${busy} onChange=${receipt} />
    ${message ? html`<p class="xj-muted" role="status" data-testid="hf-message">${message}</p>` : null}
    ${error ? html`<p class="xj-error" role="alert" data-testid="hf-error">${error}</p>` : null}
  </div><//>`;
}
