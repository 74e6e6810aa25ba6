// Passkeys in the browser (decision 53): registering one (the passkey page) and signing an act with it (a vote, a
// consent or an objection on the resolution page). The service renders what is to be signed; this script only asks the
// browser's WebAuthn prompt and passes its answer on in hidden fields. Every sentence shown comes from the page (data-*),
// in the reader's language. A cancelled prompt sends nothing.
(function () {
  "use strict";

  function bytes(text) {
    var b64 = text.replace(/-/g, "+").replace(/_/g, "/");
    while (b64.length % 4) b64 += "=";
    var raw = atob(b64), out = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i++) out[i] = raw.charCodeAt(i);
    return out.buffer;
  }

  function text(buffer) {
    var view = new Uint8Array(buffer), raw = "";
    for (var i = 0; i < view.length; i++) raw += String.fromCharCode(view[i]);
    return btoa(raw).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }

  // The options as the service's JSON states them, without the members it leaves empty (null is no valid WebAuthn value).
  function withoutNulls(value) {
    if (Array.isArray(value)) return value.map(withoutNulls);
    if (value && typeof value === "object") {
      var out = {};
      Object.keys(value).forEach(function (key) { if (value[key] !== null) out[key] = withoutNulls(value[key]); });
      return out;
    }
    return value;
  }

  function say(form, sentence) {
    var box = form.querySelector("[data-passkey-answer]");
    if (!box) return;
    box.textContent = sentence;
    box.hidden = false;
    box.focus({ preventScroll: true });
    box.scrollIntoView({ block: "center" });
  }

  function field(form, name, value) {
    var input = form.querySelector("input[name='" + name + "']");
    if (input) input.value = value;
  }

  function busy(form, on) {
    Array.prototype.forEach.call(form.querySelectorAll("button[type=submit]"), function (b) { b.disabled = on; });
  }

  function failed(form, error) {
    busy(form, false);
    var box = form.querySelector("[data-passkey-answer]");
    say(form, error && (error.name === "NotAllowedError" || error.name === "AbortError")
      ? form.dataset.cancelled : form.dataset.failed || box && box.dataset.failed || form.dataset.cancelled);
  }

  // Registering: the page handler fetches the creation options from the service; the browser creates the key.
  Array.prototype.forEach.call(document.querySelectorAll("form[data-passkey-register]"), function (form) {
    form.addEventListener("submit", function (event) {
      if (form.dataset.ready === "true") return;
      event.preventDefault();
      if (!window.PublicKeyCredential || !navigator.credentials) { say(form, form.dataset.unsupported); return; }
      busy(form, true);
      fetch(form.dataset.options, { method: "POST", body: new FormData(form), credentials: "same-origin" })
        .then(function (response) { return response.json().then(function (json) { return { ok: response.ok, json: json }; }); })
        .then(function (answer) {
          if (!answer.ok || !answer.json.options) throw { name: "OptionsFailed", message: answer.json.error };
          var options = withoutNulls(JSON.parse(answer.json.options));
          options.challenge = bytes(options.challenge);
          options.user.id = bytes(options.user.id);
          (options.excludeCredentials || []).forEach(function (c) { c.id = bytes(c.id); });
          field(form, "state", answer.json.state);
          return navigator.credentials.create({ publicKey: options });
        })
        .then(function (credential) {
          field(form, "credentialId", text(credential.rawId));
          field(form, "clientDataJson", text(credential.response.clientDataJSON));
          field(form, "attestationObject", text(credential.response.attestationObject));
          form.dataset.ready = "true";
          form.submit();
        })
        .catch(function (error) {
          if (error && error.name === "OptionsFailed" && error.message) { busy(form, false); say(form, error.message); return; }
          failed(form, error);
        });
    });
  });

  // Signing an act: the challenge is SHA-256 of the act's statement (docs/audit.md), rendered by the page per choice.
  // Its button stays disabled without this script (an unsigned act is never sent); live updates swap forms in, so the
  // buttons are enabled wherever they appear and the submit is caught on the document.
  function enable() {
    Array.prototype.forEach.call(document.querySelectorAll("form[data-sign] button[data-sign-button][disabled]"), function (b) {
      if (b.closest("form").dataset.pending !== "true") b.disabled = false;
    });
  }
  enable();
  new MutationObserver(enable).observe(document.body, { childList: true, subtree: true });

  document.addEventListener("submit", function (event) {
    var form = event.target;
    // A form signs when it carries the signing fields (the page renders them only then).
    if (!(form instanceof HTMLFormElement) || !form.querySelector("input[name=signs]") || form.dataset.ready === "true") return;
    event.preventDefault();
    if (!window.PublicKeyCredential || !navigator.credentials) { say(form, form.dataset.unsupported); return; }
    var chosen = form.querySelector("input[name=choice]:checked");
    var source = chosen && chosen.dataset.challenge ? chosen : form;
    var allowed = (form.dataset.credentials || "").split(" ").filter(Boolean).map(function (id) {
      return { type: "public-key", id: bytes(id) };
    });
    form.dataset.pending = "true";
    busy(form, true);
    // What is signed: rendered with the form, or (a Protokollerklärung, whose text is typed) asked for when it is sent.
    var what = form.dataset.challengeUrl
      ? fetch(form.dataset.challengeUrl, { method: "POST", body: new FormData(form), credentials: "same-origin" }).then(function (response) {
          if (!response.ok) throw { name: "ChallengeFailed" };
          return response.json();
        })
      : Promise.resolve({ challenge: source.dataset.challenge, nonce: source.dataset.nonce });
    what
      .then(function (signing) {
        if (!signing.challenge) throw { name: "ChallengeFailed" };
        field(form, "passkey.Nonce", signing.nonce || "");
        return navigator.credentials.get({ publicKey: { challenge: bytes(signing.challenge), allowCredentials: allowed, userVerification: "preferred", timeout: 120000 } });
      })
      .then(function (assertion) {
        field(form, "passkey.CredentialId", text(assertion.rawId));
        field(form, "passkey.AuthenticatorData", text(assertion.response.authenticatorData));
        field(form, "passkey.ClientDataJson", text(assertion.response.clientDataJSON));
        field(form, "passkey.Signature", text(assertion.response.signature));
        form.dataset.ready = "true";
        form.submit();
      })
      .catch(function (error) {
        form.dataset.pending = "false";
        failed(form, error);
      });
  });
})();
