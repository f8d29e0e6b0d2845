import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { connection } from "next/server";
import { DeviceDecision } from "@/components/devices/device-decision";
import { FormAlert } from "@/components/ui/form-alert";
import { getSessionUser } from "@/lib/auth/current-user";
import { sessionContext } from "@/lib/auth/session-context";
import { isAppError } from "@/lib/errors/app-error";
import { formatUtc } from "@/lib/format/dates";
import { findDeviceAuthorization, type DeviceAuthorizationView } from "@/lib/services/devices/find-device-authorization";

export const metadata: Metadata = { title: "Approve a device login" };

/**
 * The RFC 8628 verification page: the developer confirms the code `cluster-tls login` printed,
 * sees which host asks, from where, for which clusters and until when, and approves or denies.
 * Not signed in → sign-in, then back here with the code.
 */
export default async function DevicePage({ searchParams }: { searchParams: Promise<{ code?: string | string[] }> }) {
  await connection();
  const raw = (await searchParams).code;
  const code = (Array.isArray(raw) ? raw[0] : raw)?.slice(0, 20).trim() ?? "";
  const user = await getSessionUser();
  if (!user) redirect(`/sign-in?next=${encodeURIComponent(code ? `/device?code=${code}` : "/device")}`);

  let view: DeviceAuthorizationView | null = null;
  let problem: string | null = null;
  if (code) {
    const { db } = await sessionContext(user);
    try {
      view = await findDeviceAuthorization(db, user, code);
    } catch (error) {
      if (!isAppError(error)) throw error;
      problem = error.message;
    }
  }

  return (
    <div className="space-y-5">
      <div>
        <h1 className="text-lg font-semibold text-slate-900">Approve a device login</h1>
        <p className="mt-1 text-sm text-slate-500">Signed in as {user.email}.</p>
      </div>
      {view ? (
        <>
          <dl className="space-y-2 text-sm">
            <Row label="Code">
              <span className="font-mono font-semibold tracking-wider">{view.userCode}</span>
            </Row>
            <Row label="Device">{view.deviceName || "(no name given)"}</Row>
            <Row label="Requested from">{view.ipAddress ?? "unknown address"}</Row>
            <Row label="Clusters">
              {view.requestedClusters.length === 0 ? (
                "every cluster you may use"
              ) : (
                <ul>
                  {view.requestedClusters.map((c) => (
                    <li key={c.name}>
                      {c.name}
                      {c.available ? "" : " — not available to you, will not be granted"}
                    </li>
                  ))}
                </ul>
              )}
            </Row>
            <Row label="Code expires">{formatUtc(view.expiresAt)}</Row>
          </dl>
          <p className="text-sm text-slate-600">
            Approve only if you just ran <code>cluster-tls login</code> on this device. It can then get short-lived client certificates for
            your database users until you revoke it under Settings → My devices.
          </p>
          <DeviceDecision userCode={view.userCode} />
        </>
      ) : (
        <form method="get" action="/device" className="space-y-4">
          {problem ? <FormAlert>{problem}</FormAlert> : null}
          <div className="space-y-1.5">
            <label htmlFor="code" className="block text-sm font-medium text-slate-700">
              Code shown by cluster-tls login
            </label>
            <input
              id="code"
              name="code"
              defaultValue={code}
              placeholder="XXXX-XXXX"
              autoComplete="off"
              autoCapitalize="characters"
              className="block w-full rounded-md border border-slate-300 px-3 py-2 font-mono text-sm uppercase tracking-wider shadow-sm focus:outline-none focus:ring-2 focus:ring-indigo-500"
            />
          </div>
          <button
            type="submit"
            className="inline-flex w-full items-center justify-center rounded-md bg-indigo-600 px-3.5 py-2 text-sm font-semibold text-white shadow-sm hover:bg-indigo-500"
          >
            Continue
          </button>
        </form>
      )}
    </div>
  );
}

function Row({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div className="grid grid-cols-3 gap-2">
      <dt className="text-slate-500">{label}</dt>
      <dd className="col-span-2 text-slate-900">{children}</dd>
    </div>
  );
}
