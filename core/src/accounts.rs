//! Local accounts of the service (`xunjian user add|passwd|disable`, and the sign-in): passwords
//! are hashed with argon2 (argon2id, a random salt each, the PHC string stored) and never kept,
//! logged or printed in clear.

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use rand_core::OsRng;
use xunjian_model::Role;
use xunjian_store::{Store, User};

use crate::error::{CoreError, Result};
use crate::settings::Settings;

/// The shortest password accepted.
pub const MIN_PASSWORD_CHARS: usize = 8;

/// The argon2 hash (PHC string) of `password` with a fresh random salt.
pub fn hash_password(password: &str) -> Result<String> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| CoreError::Client(format!("argon2: {e}")))
}

/// Whether `password` is the one `hash` was made from (a malformed hash matches nothing).
pub fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|h| {
        Argon2::default()
            .verify_password(password.as_bytes(), &h)
            .is_ok()
    })
}

/// Check a new password: long enough, not all blank.
fn check_password(password: &str) -> Result<()> {
    if password.trim().chars().count() < MIN_PASSWORD_CHARS {
        return Err(CoreError::BadInput(format!(
            "the password must have at least {MIN_PASSWORD_CHARS} characters"
        )));
    }
    Ok(())
}

/// What `xunjian user add` is given.
#[derive(Debug, Clone)]
pub struct NewUser<'a> {
    /// The sign-in name.
    pub name: &'a str,
    /// Its role.
    pub role: Role,
    /// The unit (required for a 单位 account, refused for the others).
    pub unit: Option<&'a str>,
    /// The password, in clear only here.
    pub password: &'a str,
}

/// Add an account. A 单位 account must name a unit of the seeds; a name taken is bad input.
pub async fn add_user(settings: &Settings, store: &Store, new: &NewUser<'_>) -> Result<User> {
    let name = new.name.trim();
    if name.is_empty() || name.chars().any(char::is_whitespace) {
        return Err(CoreError::BadInput(format!(
            "user name `{}`: a name without spaces",
            new.name
        )));
    }
    match (new.role, new.unit) {
        (Role::Unit, None) => {
            return Err(CoreError::BadInput(
                "--unit: a 单位 (unit) account must name its unit".into(),
            ))
        }
        (Role::Unit, Some(u)) if settings.seeds.seeds.unit(u).is_none() => {
            return Err(CoreError::BadInput(format!(
                "--unit `{u}`: no such unit in {}",
                settings.seeds.path.display()
            )))
        }
        (Role::Office | Role::Viewer, Some(_)) => {
            return Err(CoreError::BadInput(format!(
                "--unit: only a unit account has a unit, not a {} account",
                new.role.as_str()
            )))
        }
        _ => {}
    }
    check_password(new.password)?;
    let hash = hash_password(new.password)?;
    let at = settings.clock.now_rfc3339();
    if !store.add_user(name, new.role, new.unit, &hash, &at).await? {
        return Err(CoreError::BadInput(format!("user `{name}` exists already")));
    }
    store
        .user(name)
        .await?
        .ok_or_else(|| CoreError::BadInput(format!("user `{name}` vanished")))
}

/// Set an account's password (its sessions end).
pub async fn set_password(store: &Store, name: &str, password: &str) -> Result<()> {
    check_password(password)?;
    let hash = hash_password(password)?;
    if !store.set_password(name, &hash).await? {
        return Err(CoreError::BadInput(format!("no user `{name}`")));
    }
    Ok(())
}

/// Disable an account (its sessions end).
pub async fn disable_user(store: &Store, name: &str) -> Result<()> {
    if !store.disable_user(name).await? {
        return Err(CoreError::BadInput(format!("no user `{name}`")));
    }
    Ok(())
}

/// The account `name` when `password` is its password and it is not disabled.
pub async fn sign_in(store: &Store, name: &str, password: &str) -> Result<Option<User>> {
    let user = store.user(name).await?;
    // Verify even without an account, so that a wrong name takes as long as a wrong password.
    let hash = user
        .as_ref()
        .map_or(DUMMY_HASH, |u| u.password_hash.as_str());
    let ok = verify_password(password, hash);
    Ok(user.filter(|u| ok && !u.disabled))
}

/// A new secret token (a session's, a form's): 32 random bytes, hex.
pub fn new_token() -> String {
    use rand_core::RngCore;
    let mut bytes = [0u8; 32];
    OsRng.fill_bytes(&mut bytes);
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// What the store keeps of a session token: its SHA-256, hex (a stolen database holds no usable
/// session).
pub fn token_hash(token: &str) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(token.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Whether two secrets are equal, in time that does not depend on where they differ.
pub fn same_secret(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

/// A valid argon2 hash of no password anyone has, verified when the name is unknown.
const DUMMY_HASH: &str =
    "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$0hlu0Xx2nnuIZyDNH7DCNRt+PQpdDtqxx0DGfGqkJBU";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hash_verifies_its_password_only_and_never_contains_it() {
        let h = hash_password("correct horse").unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(!h.contains("correct horse"));
        assert!(verify_password("correct horse", &h));
        assert!(!verify_password("correct horsf", &h));
        assert_ne!(
            h,
            hash_password("correct horse").unwrap(),
            "a fresh salt each"
        );
        assert!(!verify_password("x", "not a hash"));
        assert!(PasswordHash::new(DUMMY_HASH).is_ok());
    }

    #[test]
    fn tokens_are_fresh_and_stored_as_digests() {
        let (a, b) = (new_token(), new_token());
        assert_eq!(a.len(), 64);
        assert_ne!(a, b);
        assert_ne!(token_hash(&a), a);
        assert!(same_secret(&a, &a.clone()) && !same_secret(&a, &b) && !same_secret("a", "ab"));
    }
}
