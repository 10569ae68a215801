// Glue between a survey page and ODK Web Forms (static/vendor/odk-webform/odk-webform.js).
//
// The page's #survey-webform element carries:
//   data-form-url    GET → the XForm XML
//   data-submit-url  POST ← OpenRosa multipart, the instance XML in the part `xml_submission_file`
//   data-sw-url      the service worker that keeps the page, the engine and the form for offline use
//   data-csrf-token  Django's token, used when the CSRF cookie cannot be read
// Each response is posted at once; when the network is down (or the server cannot be reached) it is
// kept in this browser's IndexedDB and sent when the network is back: on the `online` event, every
// 30 s while some are waiting, and on the next page load. Every response carries the instanceID the
// engine generated (uuid), so a response sent twice is stored once by the server.
const root = document.getElementById('survey-webform');
const statusBox = document.getElementById('survey-status');
const outboxBox = document.getElementById('survey-outbox');

const TEXT = {
  loading: 'Đang tải phiếu khảo sát…',
  loadFailed: 'Không tải được phiếu khảo sát. Hãy kiểm tra kết nối mạng rồi tải lại trang.',
  sending: 'Đang gửi phiếu…',
  sent: 'Đã gửi. Cảm ơn ông/bà đã trả lời phiếu khảo sát.',
  queued: 'Đã lưu trên máy, sẽ gửi khi có mạng.',
  storeFailed: 'Không gửi được và cũng không lưu được trên máy này. Xin giữ nguyên trang và thử gửi lại.',
  serverError: (code) => `Máy chủ không nhận phiếu (mã lỗi ${code}).`,
  loadError: (code) => `Không tải được phiếu khảo sát (mã lỗi ${code}).`,
  outbox: (count) => `Còn ${count} phiếu đã lưu trên máy, chưa gửi được; sẽ tự gửi khi có mạng.`,
  outboxRejected: (count, message) =>
    `${count} phiếu đã lưu trên máy bị máy chủ từ chối: ${message}`,
  outboxSent: (count) => `Đã gửi ${count} phiếu lưu trên máy.`,
};

const DB_NAME = 'longdan-survey-outbox';
const STORE = 'responses';
const RETRY_MS = 30_000;
// Gateway errors mean the server was not reached: keep the response and try again later.
const UNREACHABLE = new Set([502, 503, 504]);

function showStatus(state, message) {
  statusBox.hidden = !message;
  statusBox.dataset.state = state;
  statusBox.textContent = message || '';
}

// --- the outbox (IndexedDB) -----------------------------------------------------------------

function openOutbox() {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(DB_NAME, 1);
    request.onupgradeneeded = () => request.result.createObjectStore(STORE, { keyPath: 'id' });
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

async function outbox(mode, action) {
  const db = await openOutbox();
  try {
    return await new Promise((resolve, reject) => {
      const tx = db.transaction(STORE, mode);
      const request = action(tx.objectStore(STORE));
      tx.oncomplete = () => resolve(request ? request.result : undefined);
      tx.onerror = () => reject(tx.error);
      tx.onabort = () => reject(tx.error);
    });
  } finally {
    db.close();
  }
}

const keep = (record) => outbox('readwrite', (store) => store.put(record));
const forget = (id) => outbox('readwrite', (store) => store.delete(id));
const waiting = () => outbox('readonly', (store) => store.getAll());

// --- posting -----------------------------------------------------------------------------------

function csrfToken() {
  const cookie = document.cookie.split('; ').find((part) => part.startsWith('csrftoken='));
  return cookie ? decodeURIComponent(cookie.slice('csrftoken='.length)) : root.dataset.csrfToken;
}

/** The server's own words: an OpenRosa <message>, a JSON detail/error, or the plain text. */
async function serverMessage(response, fallback = TEXT.serverError) {
  const body = (await response.text().catch(() => '')).trim();
  const type = response.headers.get('Content-Type') || '';
  if (body && type.includes('xml')) {
    const doc = new DOMParser().parseFromString(body, 'text/xml');
    const message = doc.getElementsByTagNameNS('*', 'message')[0];
    if (message && message.textContent.trim()) return message.textContent.trim();
  }
  if (body && type.includes('json')) {
    try {
      const data = JSON.parse(body);
      const text = data.detail || data.error || data.message;
      if (text) return typeof text === 'string' ? text : JSON.stringify(text);
    } catch {
      // not JSON after all: shown as text below
    }
  }
  if (body && !type.includes('html')) return body;
  return fallback(response.status);
}

/**
 * Post one response. Resolves to {outcome: 'sent'}, {outcome: 'offline'} or
 * {outcome: 'rejected', message}; never throws.
 */
async function post(record) {
  const data = new FormData();
  data.append(
    'xml_submission_file',
    new Blob([record.xml], { type: 'text/xml' }),
    'xml_submission_file.xml',
  );
  for (const file of record.attachments || []) data.append(file.name, file.blob, file.name);
  let response;
  try {
    response = await fetch(record.submitUrl, {
      method: 'POST',
      body: data,
      credentials: 'same-origin',
      headers: { 'X-CSRFToken': csrfToken(), 'X-OpenRosa-Version': '1.0' },
    });
  } catch {
    return { outcome: 'offline' };
  }
  // 409: the server already has this instanceID, which is what we wanted.
  if (response.ok || response.status === 409) return { outcome: 'sent' };
  if (UNREACHABLE.has(response.status)) return { outcome: 'offline' };
  return { outcome: 'rejected', message: await serverMessage(response) };
}

function instanceIdOf(xml) {
  const doc = new DOMParser().parseFromString(xml, 'text/xml');
  const node = doc.getElementsByTagNameNS('*', 'instanceID')[0];
  const value = node && node.textContent.trim();
  return value || `uuid:${crypto.randomUUID()}`;
}

let sending = false;

async function handleSubmit(payload) {
  if (sending) return { reset: false };
  sending = true;
  try {
    const data = payload.data[0];
    const xml = await data.get('xml_submission_file').text();
    const attachments = [];
    for (const [name, value] of data.entries()) {
      if (name !== 'xml_submission_file' && value instanceof Blob) {
        attachments.push({ name, blob: value });
      }
    }
    const record = {
      id: instanceIdOf(xml),
      submitUrl: root.dataset.submitUrl,
      formUrl: root.dataset.formUrl,
      xml,
      attachments,
      savedAt: new Date().toISOString(),
    };
    const resetAfter = root.dataset.resetAfterSubmit !== '0';
    showStatus('sending', TEXT.sending);
    const result = navigator.onLine === false ? { outcome: 'offline' } : await post(record);
    if (result.outcome === 'sent') {
      showStatus('sent', TEXT.sent);
      return { reset: resetAfter };
    }
    if (result.outcome === 'rejected') {
      showStatus('error', result.message);
      return { reset: false };
    }
    try {
      await keep(record);
    } catch {
      showStatus('error', TEXT.storeFailed);
      return { reset: false };
    }
    showStatus('queued', TEXT.queued);
    scheduleRetry();
    await refreshOutbox();
    return { reset: resetAfter };
  } finally {
    sending = false;
    window.scrollTo(0, 0);
  }
}

// --- sending what was kept ---------------------------------------------------------------------

let flushing = null;
let retryTimer = null;

function scheduleRetry() {
  if (retryTimer === null) retryTimer = window.setInterval(() => flushOutbox(), RETRY_MS);
}

async function refreshOutbox(rejected = []) {
  let records = [];
  try {
    records = await waiting();
  } catch {
    return [];
  }
  const count = records.length;
  outboxBox.dataset.count = String(count);
  outboxBox.hidden = count === 0;
  if (rejected.length) {
    outboxBox.textContent = TEXT.outboxRejected(rejected.length, rejected[0]);
  } else {
    outboxBox.textContent = count ? TEXT.outbox(count) : '';
  }
  if (count === 0 && retryTimer !== null) {
    window.clearInterval(retryTimer);
    retryTimer = null;
  }
  return records;
}

function flushOutbox() {
  if (flushing) return flushing;
  flushing = (async () => {
    let records;
    try {
      records = await waiting();
    } catch {
      return;
    }
    let sent = 0;
    const rejected = [];
    for (const record of records) {
      const result = await post(record);
      if (result.outcome === 'offline') break;
      if (result.outcome === 'sent') {
        await forget(record.id);
        sent += 1;
      } else {
        // Kept, not dropped: the office can still recover it from this browser.
        rejected.push(result.message);
      }
    }
    const left = await refreshOutbox(rejected);
    if (sent && !rejected.length) showStatus('sent', left.length ? TEXT.outboxSent(sent) : TEXT.sent);
    if (left.length) scheduleRetry();
  })().finally(() => {
    flushing = null;
  });
  return flushing;
}

// --- offline use: the service worker --------------------------------------------------------------

async function registerServiceWorker() {
  const url = root.dataset.swUrl;
  if (!url || !('serviceWorker' in navigator)) return; // (only on https:// or localhost)
  try {
    const options = root.dataset.swScope ? { scope: root.dataset.swScope } : undefined;
    await navigator.serviceWorker.register(url, options);
    const registration = await navigator.serviceWorker.ready;
    const urls = [
      window.location.href,
      new URL(root.dataset.formUrl, window.location.href).href,
      ...[...document.querySelectorAll('link[rel=stylesheet], link[rel=modulepreload]')].map(
        (link) => link.href,
      ),
      ...[...document.querySelectorAll('script[src]')].map((script) => script.src),
    ];
    registration.active?.postMessage({ type: 'longdan-precache', urls });
  } catch (error) {
    console.warn('Service worker:', error);
  }
}

// --- start ---------------------------------------------------------------------------------------

function engine() {
  if (window.LongdanWebForm) return Promise.resolve(window.LongdanWebForm);
  return new Promise((resolve) => {
    window.addEventListener('longdan-webform-ready', () => resolve(window.LongdanWebForm), {
      once: true,
    });
  });
}

async function start() {
  let formXml;
  try {
    const response = await fetch(root.dataset.formUrl, { credentials: 'same-origin' });
    if (!response.ok) throw new Error(await serverMessage(response, TEXT.loadError));
    formXml = await response.text();
  } catch (error) {
    const message = error instanceof TypeError ? TEXT.loadFailed : error.message;
    root.replaceChildren();
    showStatus('error', message || TEXT.loadFailed);
    return;
  }
  const { mount } = await engine();
  root.replaceChildren();
  mount(root, {
    formXml,
    onSubmit: handleSubmit,
    attachmentsUrl: root.dataset.attachmentsUrl || null,
  });
  root.dataset.mounted = '1';
}

window.addEventListener('online', () => flushOutbox());
// For tests and for a "send now" button: send what this browser kept.
window.longdanSurveyOutbox = { flush: flushOutbox, waiting };

start();
refreshOutbox().then((records) => {
  if (records.length) flushOutbox();
});
registerServiceWorker();
