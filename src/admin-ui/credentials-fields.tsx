// The webhook form's Signing scheme and Authentication fields (client/credentials-form.js). The
// client secret comes back hidden once saved, like a custom header's value.
import { ChoiceField, FieldError, TextField } from "./form-fields";
import type { Messages } from "./i18n";

export function SigningSchemeField({ t }: { t: Messages }) {
  return (
    <ChoiceField
      field="signature_scheme"
      legend={t.fieldSigning}
      hint={t.fieldSigningHint}
      choices={[
        ["hmac-sha256", t.signingHmac],
        ["ed25519", t.signingEd25519],
      ]}
    />
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
    <ChoiceField
      id="wf-auth"
      field="auth"
      name="auth_type"
      legend={t.fieldAuth}
      hint={t.fieldAuthHint}
      choices={[
        ["none", t.authNone],
        ["oauth2_client_credentials", t.authOauth],
      ]}
    >
      <div id="wf-auth-oauth" class="stack auth-fields" hidden>
        <TextField field="auth.token_url" label={t.authTokenUrl} hint={t.authTokenUrlHint} type="url" />
        <TextField field="auth.client_id" label={t.authClientId} hint={t.authClientIdHint} maxlength={500} />
        <ClientSecretField t={t} />
        <TextField field="auth.scope" label={t.authScope} hint={t.authScopeHint} maxlength={1000} />
      </div>
    </ChoiceField>
  );
}
