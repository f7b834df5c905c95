/** Typing a tag by hand: the way in when the camera is denied or the label is damaged. */
import {useState} from 'preact/hooks';
import {html, Section} from './ui.js';
import {t} from './i18n.js';

/** A form that hands the typed text to onSubmit; re-key it to clear it (e.g. per swap step). */
export function ManualTagEntry({onSubmit}) {
  const [text, setText] = useState('');
  return html`<${Section} title=${t('manual_entry')}>
    <form onSubmit=${(e) => { e.preventDefault(); onSubmit(text); }}>
      <input class="xj-input" aria-label=${t('manual_entry')} placeholder=${t('tag_placeholder')} autocapitalize="characters"
        autocomplete="off" value=${text} onInput=${(e) => setText(e.target.value)} />
      <button class="weui-btn weui-btn_primary xj-btn" type="submit" style="margin-top:8px">${t('open')}</button>
    </form>
  <//>`;
}
