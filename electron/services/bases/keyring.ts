// OpenPGP check of a suite's InRelease against the keyring apt uses for it (the source's
// Signed-By, else Debian's archive keyring where the system has one). Where no keyring can be
// read (a desktop without apt), the SHA256 chain from Release still holds, and the result says
// the signature was not checked.
import { readFile } from 'node:fs/promises'
import * as openpgp from 'openpgp'
import { SlipwayError } from '../../../shared/errors'

/** Keyrings tried when a source names none: Debian's archive keyring as the debian-archive-keyring package installs it. */
export const DEFAULT_KEYRINGS = ['/usr/share/keyrings/debian-archive-keyring.gpg']

/** The text an InRelease vouches for, and whose key signed it (null: not checked, no keyring). */
export interface Verified {
  text: string
  signer: string | null
}

async function readKeyring(file: string): Promise<openpgp.PublicKey[] | null> {
  let data: Buffer
  try {
    data = await readFile(file)
  } catch {
    return null
  }
  try {
    const armored = data.subarray(0, 64).toString('latin1').includes('-----BEGIN PGP')
    const keys = armored ? await openpgp.readKeys({ armoredKeys: data.toString('utf8') }) : await openpgp.readKeys({ binaryKeys: data })
    return keys.filter((k): k is openpgp.PublicKey => !k.isPrivate())
  } catch {
    return null
  }
}

/**
 * Checks a clear-signed InRelease with the first readable keyring of `keyrings`; returns the signed
 * text (never the unsigned parts around it). Throws MirrorVerificationFailed when a keyring was read
 * and the signature does not verify with it.
 */
export async function verifyInRelease(inRelease: string, keyrings: readonly string[], what: string): Promise<Verified> {
  let keys: openpgp.PublicKey[] | null = null
  let used = ''
  for (const k of keyrings) {
    keys = await readKeyring(k)
    if (keys?.length) {
      used = k
      break
    }
  }
  let message: openpgp.CleartextMessage
  try {
    message = await openpgp.readCleartextMessage({ cleartextMessage: inRelease })
  } catch (e) {
    throw new SlipwayError('MirrorVerificationFailed', `The InRelease of ${what} is not a signed message.`, `${(e as Error).message}. The mirror may be serving something else at that address.`)
  }
  if (!keys?.length) return { text: message.getText(), signer: null }
  try {
    const result = await openpgp.verify({ message, verificationKeys: keys, expectSigned: true })
    const sig = result.signatures.find(() => true)
    const keyId = sig ? sig.keyID.toHex() : 'unknown'
    return { text: result.data, signer: `${keyId} (${used})` }
  } catch (e) {
    throw new SlipwayError(
      'MirrorVerificationFailed',
      `The signature of ${what}'s InRelease does not verify with ${used}.`,
      `${(e as Error).message}. Nothing was made. If the mirror changed its signing key, update the keyring (the debian-archive-keyring package); otherwise the mirror or the network is serving tampered data.`,
    )
  }
}
