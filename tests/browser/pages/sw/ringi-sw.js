// The site's Service Worker script: Ringi's, pulled in from dist/ (a script's directory bounds its
// scope, so a one-line script here covers this directory). Options arrive in this URL's query.
importScripts('/dist/service-worker.js');
