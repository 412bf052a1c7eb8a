// The certificate chain the server proves its Noise static key with: root -> intermediate -> leaf,
// as WhatsApp's, but rooted in a key made for this run. Baileys trusts it only when a test preload
// has put this root in place of WhatsApp's (WA_CERT_DETAILS.PUBLIC_KEY).
import { Curve, proto, WA_CERT_DETAILS } from '@whiskeysockets/baileys';

const Details = proto.CertChain.NoiseCertificate.Details;

/** A new test root and a chain from it to `serverStatic` (a Curve key pair). */
export function makeCertificates(serverStatic) {
  const root = Curve.generateKeyPair();
  const intermediate = Curve.generateKeyPair();
  const now = Math.floor(Date.now() / 1000);
  const yearLater = now + 365 * 24 * 3600;
  // Baileys checks the intermediate's issuer against WA_CERT_DETAILS.SERIAL (0)
  const intermediateDetails = Details.encode({
    serial: 1, issuerSerial: WA_CERT_DETAILS.SERIAL, key: intermediate.public, notBefore: now, notAfter: yearLater,
  }).finish();
  const leafDetails = Details.encode({
    serial: 2, issuerSerial: 1, key: serverStatic.public, notBefore: now, notAfter: yearLater,
  }).finish();
  const chain = proto.CertChain.encode({
    intermediate: { details: intermediateDetails, signature: Curve.sign(root.private, intermediateDetails) },
    leaf: { details: leafDetails, signature: Curve.sign(intermediate.private, leafDetails) },
  }).finish();
  return { rootPublicKey: Buffer.from(root.public), chain: Buffer.from(chain) };
}
