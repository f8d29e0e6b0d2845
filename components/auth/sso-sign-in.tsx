import { FormAlert } from "@/components/ui/form-alert";

/** "Sign in with <provider>": a plain form post to the route that redirects to the identity provider. */
export function SsoSignIn({ providerName, next, error }: { providerName: string; next: string; error?: string }) {
  return (
    <div className="space-y-3">
      {error ? <FormAlert>{error}</FormAlert> : null}
      <form method="post" action="/sign-in/sso">
        <input type="hidden" name="next" value={next} />
        <button
          type="submit"
          className="w-full rounded-md bg-indigo-600 px-3 py-2 text-sm font-medium text-white shadow-sm hover:bg-indigo-700 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600"
        >
          Sign in with {providerName}
        </button>
      </form>
    </div>
  );
}
