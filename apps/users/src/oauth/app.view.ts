import { OAuthAppRow } from './oauth.repository';

/** Mastodon's Application entity; the secret only in the answer that created it. */
export interface MastodonApplication {
  id: string;
  name: string;
  website: string | null;
  scopes: string[];
  redirect_uri: string;
  redirect_uris: string[];
  client_id?: string;
  client_secret?: string;
  vapid_key: string;
}

export function toApplication(row: OAuthAppRow, clientSecret?: string): MastodonApplication {
  const redirectUris = row.redirect_uris.split('\n');
  return {
    id: String(row.id),
    name: row.name,
    website: row.website,
    scopes: row.scopes.split(' '),
    redirect_uri: redirectUris.join('\n'),
    redirect_uris: redirectUris,
    ...(clientSecret === undefined ? {} : { client_id: row.client_id, client_secret: clientSecret }),
    // Web push is not served; Mastodon's apps read the field, so it is there and empty.
    vapid_key: '',
  };
}
