/**
 * Prints a development bearer token for the canvass API, signed with JWT_SECRET.
 *
 *   JWT_SECRET=… node -r @swc-node/register services/canvass/scripts/dev-token.ts fieldOfficial
 *   JWT_SECRET=… node -r @swc-node/register services/canvass/scripts/dev-token.ts \
 *     --sub official-wang --role field-official --district 310105 --subdistrict 310105001
 *
 * Named actors are the platform's sample actors (DEV_ACTORS of @city/auth):
 * cityCenter, changningStaff, fieldOfficial, canvassDepartment. Production
 * tokens come from the city's identity provider, never from this script.
 */
import { actorFromClaims, DEV_ACTORS, issueToken, type Actor } from '@city/auth';

function usage(message: string): never {
  process.stderr.write(
    `${message}\nusage: dev-token.ts <${Object.keys(DEV_ACTORS).join('|')}> | --sub ID --role ROLE [--district CODE] [--subdistrict CODE] [--department NAME]\n`,
  );
  process.exit(2);
}

function actorFromArgs(args: readonly string[]): Actor {
  if (args.length === 1 && !args[0].startsWith('--')) {
    const named = (DEV_ACTORS as Record<string, Actor>)[args[0]];
    if (!named) usage(`Unknown sample actor ${args[0]}`);
    return named;
  }
  const claims: Record<string, string> = {};
  for (let i = 0; i < args.length; i += 2) {
    const [flag, value] = [args[i], args[i + 1]];
    if (!flag.startsWith('--') || value === undefined) usage(`Expected --name value pairs, got ${flag}`);
    claims[flag.slice(2)] = value;
  }
  const checked = actorFromClaims(claims);
  if (!checked.ok) usage(`Invalid actor: ${checked.problem}`);
  return checked.actor;
}

const secret = process.env.JWT_SECRET;
if (!secret || secret.length < 32) usage('Set JWT_SECRET (at least 32 characters) to the secret the service uses');
const args = process.argv.slice(2);
const actor = actorFromArgs(args.length === 0 ? ['fieldOfficial'] : args);
process.stdout.write(`${issueToken(actor, secret, { expiresIn: '12h' })}\n`);
