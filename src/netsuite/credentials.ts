/** What the NetSuite client needs to reach one account: produced by the environment guard in src/config/netsuite-guard.ts. */

export type JwtAlgorithm = 'PS256' | 'PS384' | 'PS512' | 'ES256' | 'ES384' | 'ES512';

export interface NetSuiteCredentials {
  /** The declared environment these credentials belong to. */
  environment: 'sandbox' | 'production';
  /** Account ID as NetSuite spells it: `1234567` or `1234567_SB1`. */
  accountId: string;
  /** Origin of the account, without `/services/rest`, e.g. `https://1234567-sb1.suitetalk.api.netsuite.com`. */
  baseUrl: string;
  /** Client ID of the integration record (JWT `iss`). */
  clientId: string;
  /** Certificate ID of the client-credentials mapping (JWT `kid`). */
  certificateId: string;
  /** PKCS#8 PEM private key that signs the JWT assertion. A secret: never logged. */
  privateKeyPem: string;
  /** JWT signing algorithm. */
  algorithm: JwtAlgorithm;
  /** OAuth scope(s), comma-separated. Default `rest_webservices`. */
  scope: string;
}
