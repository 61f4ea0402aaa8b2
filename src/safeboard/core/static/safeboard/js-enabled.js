// Loaded at the top of <body> (not inline, so the Content Security Policy needs no 'unsafe-inline').
document.body.className += " js-enabled" + ("noModule" in HTMLScriptElement.prototype ? " govuk-frontend-supported" : "");
