// The webhook form's Signing scheme and Authentication fields (client/credentials-form.js). The
// client secret comes back hidden once saved, like a custom header's value.
import { FieldError, TextField } from "./form-fields";
import type { Messages } from "./i18n";

export function SigningSchemeField({ t }: { t: Messages }) {
  return (
    <fieldset class="field" aria-describedby="wf-signature_scheme-hint wf-signature_scheme-error">
      <legend>{t.fieldSigning}</legend>
      <p id="wf-signature_scheme-hint" class="hint">
        {t.fieldSigningHint}
      </p>
      <div class="choices">
        <label>
          <input type="radio" name="signature_scheme" value="hmac-sha256" checked /> {t.signingHmac}
        </label>
        <label>
          <input type="radio" name="signature_scheme" value="ed25519" /> {t.signingEd25519}
        </label>
      </div>
      <FieldError field="signature_scheme" />
    </fieldset>
  );
}

function ClientSecretField({ t }: { t: Messages }) {
  return (
    <div class="field">
      <label for="wf-auth.client_secret">{t.authClientSecret}</label>
      <p id="wf-auth.client_secret-hint" class="hint">
        {t.authClientSecretHint}
      </p>
      <div class="secret-row">
        <input
          id="wf-auth.client_secret"
          name="auth.client_secret"
          autocomplete="off"
          spellcheck={false}
          translate="no"
          aria-describedby="wf-auth.client_secret-hint wf-auth.client_secret-error"
        />
        <button type="button" id="wf-auth-reveal" hidden>
          {t.reveal}
        </button>
      </div>
      <FieldError field="auth.client_secret" />
    </div>
  );
}

export function AuthField({ t }: { t: Messages }) {
  return (
    <fieldset id="wf-auth" class="field" aria-describedby="wf-auth-hint wf-auth-error">
      <legend>{t.fieldAuth}</legend>
      <p id="wf-auth-hint" class="hint">
        {t.fieldAuthHint}
      </p>
      <div class="choices">
        <label>
          <input type="radio" name="auth_type" value="none" checked /> {t.authNone}
        </label>
        <label>
          <input type="radio" name="auth_type" value="oauth2_client_credentials" /> {t.authOauth}
        </label>
      </div>
      <FieldError field="auth" />
      <div id="wf-auth-oauth" class="stack auth-fields" hidden>
        <TextField field="auth.token_url" label={t.authTokenUrl} hint={t.authTokenUrlHint} type="url" />
        <TextField field="auth.client_id" label={t.authClientId} hint={t.authClientIdHint} maxlength={500} />
        <ClientSecretField t={t} />
        <TextField field="auth.scope" label={t.authScope} hint={t.authScopeHint} maxlength={1000} />
      </div>
    </fieldset>
  );
}
