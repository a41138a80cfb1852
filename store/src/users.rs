//! The people who sign in to the service and their sessions. Passwords are stored only as the
//! argon2 hashes the caller hands in; a session is stored by a digest of its token, never the token.

use sqlx::any::AnyRow;
use sqlx::Row;
use xunjian_model::Role;

use crate::{Store, StoreError};

/// An account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    /// Its id.
    pub id: i64,
    /// The sign-in name.
    pub name: String,
    /// Its role.
    pub role: Role,
    /// The unit a 单位 account answers for.
    pub unit: Option<String>,
    /// The argon2 hash of its password (PHC string).
    pub password_hash: String,
    /// Whether it may no longer sign in.
    pub disabled: bool,
}

/// A signed-in session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    /// Whose.
    pub user: User,
    /// The CSRF token its forms carry.
    pub csrf: String,
    /// When it ends (RFC 3339).
    pub expires_at: String,
}

fn user_of(r: &AnyRow) -> Result<User, StoreError> {
    let role: String = r.try_get(2)?;
    let disabled: i64 = r.try_get(5)?;
    Ok(User {
        id: r.try_get(0)?,
        name: r.try_get(1)?,
        role: Role::parse(&role).ok_or_else(|| StoreError::Corrupt(format!("role `{role}`")))?,
        unit: r.try_get(3)?,
        password_hash: r.try_get(4)?,
        disabled: disabled != 0,
    })
}

const USER_COLUMNS: &str = "u.id, u.name, u.role, u.unit, u.password_hash, u.disabled";

impl Store {
    /// Add an account; `false` when the name is taken.
    pub async fn add_user(
        &self,
        name: &str,
        role: Role,
        unit: Option<&str>,
        password_hash: &str,
        at: &str,
    ) -> Result<bool, StoreError> {
        let done = sqlx::query(
            "INSERT INTO users (name, role, unit, password_hash, disabled, created_at) \
             VALUES ($1, $2, $3, $4, 0, $5) ON CONFLICT (name) DO NOTHING",
        )
        .bind(name)
        .bind(role.as_str())
        .bind(unit)
        .bind(password_hash)
        .bind(at)
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Whether any account exists (without one, the dashboard is open to read, as before
    /// accounts were set up).
    pub async fn has_users(&self) -> Result<bool, StoreError> {
        let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM users")
            .fetch_one(&self.pool)
            .await?;
        Ok(n > 0)
    }

    /// The account named `name`.
    pub async fn user(&self, name: &str) -> Result<Option<User>, StoreError> {
        let sql = format!("SELECT {USER_COLUMNS} FROM users u WHERE u.name = $1");
        let row = sqlx::query(&sql)
            .bind(name)
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(user_of).transpose()
    }

    /// Replace an account's password hash and end its sessions; `false` when there is no such
    /// account.
    pub async fn set_password(&self, name: &str, password_hash: &str) -> Result<bool, StoreError> {
        let mut tx = self.pool.begin().await?;
        let done = sqlx::query("UPDATE users SET password_hash = $1 WHERE name = $2")
            .bind(password_hash)
            .bind(name)
            .execute(&mut *tx)
            .await?;
        end_sessions_of(&mut tx, name).await?;
        tx.commit().await?;
        Ok(done.rows_affected() == 1)
    }

    /// Disable an account and end its sessions; `false` when there is no such account.
    pub async fn disable_user(&self, name: &str) -> Result<bool, StoreError> {
        let mut tx = self.pool.begin().await?;
        let done = sqlx::query("UPDATE users SET disabled = 1 WHERE name = $1")
            .bind(name)
            .execute(&mut *tx)
            .await?;
        end_sessions_of(&mut tx, name).await?;
        tx.commit().await?;
        Ok(done.rows_affected() == 1)
    }

    /// Start a session for `user`, stored by the digest of its token.
    pub async fn create_session(
        &self,
        token_hash: &str,
        user: i64,
        csrf: &str,
        at: &str,
        expires_at: &str,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO sessions (token_hash, user_id, csrf, created_at, expires_at) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(token_hash)
        .bind(user)
        .bind(csrf)
        .bind(at)
        .bind(expires_at)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// The live session of a token digest at `now`: not expired, its account not disabled.
    pub async fn session(
        &self,
        token_hash: &str,
        now: &str,
    ) -> Result<Option<Session>, StoreError> {
        let sql = format!(
            "SELECT {USER_COLUMNS}, s.csrf, s.expires_at FROM sessions s \
             JOIN users u ON u.id = s.user_id \
             WHERE s.token_hash = $1 AND s.expires_at > $2 AND u.disabled = 0"
        );
        let row = sqlx::query(&sql)
            .bind(token_hash)
            .bind(now)
            .fetch_optional(&self.pool)
            .await?;
        row.map(|r| {
            Ok(Session {
                user: user_of(&r)?,
                csrf: r.try_get(6)?,
                expires_at: r.try_get(7)?,
            })
        })
        .transpose()
    }

    /// End one session.
    pub async fn end_session(&self, token_hash: &str) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
            .bind(token_hash)
            .execute(&self.pool)
            .await?;
        Ok(())
    }
}

async fn end_sessions_of(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    name: &str,
) -> Result<(), StoreError> {
    sqlx::query("DELETE FROM sessions WHERE user_id IN (SELECT id FROM users WHERE name = $1)")
        .bind(name)
        .execute(&mut **tx)
        .await?;
    Ok(())
}
