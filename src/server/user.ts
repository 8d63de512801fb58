// The checks every issuer call runs on the user it is given, before any request.

/** The user id, checked: a non-empty string of at most 255 characters. */
export function checkUserId(userId: unknown): string {
  if (typeof userId !== "string" || userId.length === 0 || userId.length > 255) {
    throw new TypeError(
      "userId must be a non-empty string of at most 255 characters: pass your own id for the signed-in user.",
    );
  }
  return userId;
}

/** The e-mail, checked: something@something without spaces. */
export function checkEmail(email: unknown): string {
  if (typeof email !== "string" || !/^[^\s@]+@[^\s@]+$/.test(email)) {
    throw new TypeError(
      "email must be the user's e-mail address: Human API needs it to start a session for a new user.",
    );
  }
  return email;
}
