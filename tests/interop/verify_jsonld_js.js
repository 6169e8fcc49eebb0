// Verify an eddsa-rdfc-2022 Data Integrity proof with jsonld.js (canonicalisation, safe mode) and Node's crypto
// (Ed25519): no code shared with the Python issuer. Contexts come from the files given (never fetched).
// usage: node verify_jsonld_js.js CREDENTIAL.json CONTEXT_DIR   -> prints {"valid": bool, ...}; exit 0 if valid
const fs = require('fs');
const path = require('path');
const crypto = require('crypto');
const jsonld = require('jsonld');

const [file, dir] = process.argv.slice(2);
const contexts = {
  'https://www.w3.org/ns/credentials/v2': path.join(dir, 'credentials-v2.jsonld'),
  'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json': path.join(dir, 'ob-v3p0-context-3.0.3.json'),
};
const documentLoader = async (url) => {
  if (!contexts[url]) throw new Error(`context not available offline: ${url}`);
  return {contextUrl: null, documentUrl: url, document: JSON.parse(fs.readFileSync(contexts[url], 'utf8'))};
};
const B58 = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';
function base58(text) {
  let n = 0n;
  for (const c of text) {
    const v = B58.indexOf(c);
    if (v < 0) throw new Error('not base58btc');
    n = n * 58n + BigInt(v);
  }
  let hex = n.toString(16);
  if (hex.length % 2) hex = '0' + hex;
  let zeros = 0;
  while (text[zeros] === '1') zeros++;
  return Buffer.concat([Buffer.alloc(zeros), n ? Buffer.from(hex, 'hex') : Buffer.alloc(0)]);
}
const sha256 = (s) => crypto.createHash('sha256').update(s, 'utf8').digest();

(async () => {
  const credential = JSON.parse(fs.readFileSync(file, 'utf8'));
  const {proof, ...unsecured} = credential;
  const {proofValue, ...config} = proof;
  if (config.type !== 'DataIntegrityProof' || config.cryptosuite !== 'eddsa-rdfc-2022') throw new Error('unsupported proof');
  config['@context'] = credential['@context'];
  const options = {algorithm: 'URDNA2015', format: 'application/n-quads', documentLoader, safe: true};
  const hashData = Buffer.concat([sha256(await jsonld.canonize(config, options)),
                                  sha256(await jsonld.canonize(unsecured, options))]);
  const [did, fragment] = config.verificationMethod.split('#');
  const multikey = base58(did.replace('did:key:z', ''));
  if (multikey[0] !== 0xed || multikey[1] !== 0x01 || fragment !== did.replace('did:key:', '')) throw new Error('not an Ed25519 did:key');
  const issuer = typeof credential.issuer === 'object' ? credential.issuer.id : credential.issuer;
  const key = crypto.createPublicKey({key: Buffer.concat([Buffer.from('302a300506032b6570032100', 'hex'), multikey.subarray(2)]),
                                      format: 'der', type: 'spki'});
  const valid = issuer === did && crypto.verify(null, hashData, key, base58(proofValue.slice(1)));
  console.log(JSON.stringify({valid, jsonld: require('jsonld/package.json').version}));
  process.exit(valid ? 0 : 1);
})().catch((e) => { console.log(JSON.stringify({valid: false, error: e.message})); process.exit(1); });
