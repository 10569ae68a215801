/**
 * Bundle entry: ODK Web Forms (the Vue 3 component library ODK builds to replace Enketo in ODK
 * Central) mounted on a plain element, exposed as `window.LongdanWebForm` for the page's glue
 * script (static/js/survey-webform.js). No application logic lives here: rendering, skip logic,
 * constraints, translations and the instance XML are all ODK's engine.
 */
import { createApp, h } from 'vue';
import { OdkWebForm, POST_SUBMIT__NEW_INSTANCE, webFormsPlugin } from '@getodk/web-forms';
import { PRIMEVUE_VI } from './ui-vi.mjs';

const notFound = () => new Response('', { status: 404, statusText: 'Not Found' });

/**
 * Form attachments (jr://images/x.png, jr://file/list.csv) are fetched from `attachmentsUrl`
 * (a folder URL ending in "/") when the page gives one; otherwise they are treated as missing.
 */
function attachmentFetcher(attachmentsUrl) {
  return async (resource) => {
    const href = typeof resource === 'string' ? resource : resource.href;
    if (!attachmentsUrl) return notFound();
    const name = href.replace(/^jr:\/\/[^/]*\//, '').split('/').pop();
    return fetch(new URL(encodeURIComponent(name), new URL(attachmentsUrl, window.location.href)));
  };
}

/**
 * Mount a form. `onSubmit(payload)` receives ODK's monolithic instance payload (its `data[0]` is
 * a FormData holding `xml_submission_file`) and resolves to `{ reset: true }` to start a new,
 * empty instance (a fresh meta/instanceID) or to anything else to keep the answers on screen.
 */
function mount(element, { formXml, onSubmit, attachmentsUrl = null }) {
  const app = createApp({
    render: () =>
      h(OdkWebForm, {
        formXml,
        fetchFormAttachment: attachmentFetcher(attachmentsUrl),
        missingResourceBehavior: 'BLANK',
        onSubmit: (payload, done) => {
          done(
            Promise.resolve(onSubmit(payload)).then(
              (result) => (result && result.reset ? { next: POST_SUBMIT__NEW_INSTANCE } : {}),
              () => ({}),
            ),
          );
        },
      }),
  });
  app.use(webFormsPlugin);
  const primevue = app.config.globalProperties.$primevue;
  if (primevue) Object.assign(primevue.config.locale, PRIMEVUE_VI);
  app.mount(element);
  return { unmount: () => app.unmount() };
}

// eslint-disable-next-line no-undef -- defined by build.mjs
window.LongdanWebForm = { mount, engineVersion: __ODK_WEB_FORMS_VERSION__ };
window.dispatchEvent(new Event('longdan-webform-ready'));
