//! `xunjian serve`: the always-on service. One process runs the scheduler, which calls the
//! inspection core on the timetable of the seeds' `[schedule]` (probes, the nightly crawl, the
//! quarterly inspection), and the dashboard, which reads the store's newest judgement: nothing is
//! judged here, and nothing twice.

pub mod alerts;
mod auth;
mod board;
mod charts;
mod jobs;
mod judged;
mod manual;
mod notices;
mod problems;
pub mod schedule;
mod scheduler;
mod target;
mod web;

use std::future::Future;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use xunjian_core::{Settings, Store};

pub use auth::Access;
pub use board::{Board, JobView, SiteProgressView};

/// Why the service could not run.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    /// The listening address could not be bound.
    #[error("--listen {addr}: {source}")]
    Listen {
        /// The address.
        addr: SocketAddr,
        /// Why.
        source: std::io::Error,
    },
    /// A cron expression of the timetable does not parse (the seeds parser checks them first).
    #[error("[schedule]: {0}")]
    Schedule(#[from] cron::error::Error),
    /// A dashboard template does not compile (a bug in this crate).
    #[error("dashboard template: {0}")]
    Template(String),
    /// The core failed before the service started (its store, its seeds).
    #[error(transparent)]
    Core(#[from] xunjian_core::CoreError),
    /// The web server failed.
    #[error("serving: {0}")]
    Io(#[from] std::io::Error),
    /// An alert channel of the seeds cannot be set up (an unset secret, a bad address).
    #[error(transparent)]
    Alerts(#[from] alerts::AlertError),
}

/// What the service runs.
#[derive(Debug, Clone)]
pub struct Service {
    /// The settings every job starts from (seeds, rule pack, clock, politeness).
    pub settings: Settings,
    /// The store.
    pub store: Store,
    /// Where the quarterly documents go (one directory per time point).
    pub out: PathBuf,
    /// Where the dashboard listens.
    pub listen: SocketAddr,
    /// Start one inspection at once, as of this date (`--inspect-now [--as-of]`); `Some(None)`:
    /// as of the latest quarter's end.
    pub inspect_now: Option<Option<chrono::NaiveDate>>,
    /// How often the scheduler looks at the clock.
    pub tick: Duration,
    /// How people who sign in are recognised.
    pub access: Access,
}

/// A bound service: its address is known before it runs (tests listen on port 0).
pub struct Bound {
    service: Service,
    listener: tokio::net::TcpListener,
    notifier: Arc<alerts::Notifier>,
}

impl Bound {
    /// Bind the dashboard's address.
    pub async fn bind(service: Service) -> Result<Bound, ServeError> {
        let notifier = Arc::new(alerts::Notifier::new(
            &service.settings.seeds.seeds.alerts,
            service.store.clone(),
            service.settings.clock.clone(),
        )?);
        let listener = tokio::net::TcpListener::bind(service.listen)
            .await
            .map_err(|source| ServeError::Listen {
                addr: service.listen,
                source,
            })?;
        Ok(Bound {
            service,
            listener,
            notifier,
        })
    }

    /// The address the dashboard answers on.
    pub fn local_addr(&self) -> Result<SocketAddr, ServeError> {
        Ok(self.listener.local_addr()?)
    }

    /// Run until `shutdown` completes: then stop scheduling, drop the jobs in flight (their
    /// unfinished batch rolls back; the next start runs them again), and return.
    pub async fn run(
        self,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> Result<(), ServeError> {
        let Bound {
            service,
            listener,
            notifier,
        } = self;
        let board = Arc::new(Board::default());
        let templates = web::templates().map_err(|e| ServeError::Template(e.to_string()))?;
        let (stop_tx, mut stop_rx) = tokio::sync::watch::channel(false);
        let state_judged: Arc<judged::JudgedCache> = Default::default();
        let board_seen = board.clone();
        let state = web::AppState {
            store: service.store.clone(),
            seeds: Arc::new(service.settings.seeds.seeds.clone()),
            settings: Arc::new(service.settings.clone()),
            judged: state_judged.clone(),
            board: board.clone(),
            templates: Arc::new(templates),
            gate: Arc::new(auth::Gate::new(service.access.clone())),
            out: service.out.clone(),
            stop: stop_rx.clone(),
        };
        let plan = schedule::Plan::new(&service.settings.seeds.seeds.schedule)?;
        let mut scheduler = scheduler::Scheduler::new(
            plan,
            service.settings.clone(),
            service.store.clone(),
            service.out.clone(),
            board,
            notifier,
        )
        .await?;
        if let Some(as_of) = service.inspect_now {
            scheduler.queue(jobs::Order {
                job: schedule::Job::Inspect,
                as_of,
            });
        }
        let server_stop = {
            let mut rx = stop_rx.clone();
            async move {
                let _ = rx.wait_for(|s| *s).await;
            }
        };
        let app = web::router(state);
        let server = tokio::spawn(async move {
            axum::serve(
                listener,
                app.into_make_service_with_connect_info::<SocketAddr>(),
            )
            .with_graceful_shutdown(server_stop)
            .await
        });
        tokio::spawn(async move {
            shutdown.await;
            let _ = stop_tx.send(true);
        });
        let warm = (
            state_judged.clone(),
            service.store.clone(),
            board_seen.clone(),
        );
        let mut seen_generation = None;
        loop {
            scheduler.tick().await;
            // A job finished (or the service started): read the new judgement now, not on the
            // next page view.
            let generation = warm.2.generation();
            if seen_generation != Some(generation) {
                seen_generation = Some(generation);
                let (judged, store, board) = warm.clone();
                tokio::spawn(async move {
                    if let Err(e) = judged.newest(&store, &board).await {
                        tracing::warn!("reading the newest judgement: {e}");
                    }
                });
            }
            tokio::select! {
                _ = stop_rx.wait_for(|s| *s) => break,
                _ = tokio::time::sleep(service.tick) => {}
            }
        }
        scheduler.stop();
        match server.await {
            Ok(r) => r?,
            Err(e) => tracing::error!("the dashboard task failed: {e}"),
        }
        Ok(())
    }
}
