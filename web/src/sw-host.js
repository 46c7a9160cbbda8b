// @ts-check
/**
 * dist/sw-host.js: the page side of the Service Worker transport (http/sw-page.js), imported by
 * ringi.js only when createKintone({serviceWorker}) asks for it.
 */
export { attachServiceWorker } from './http/sw-page.js';
