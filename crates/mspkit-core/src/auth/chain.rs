use std::sync::Arc;

use async_trait::async_trait;

use super::{Auth, AuthContext, AuthStamp};
use crate::error::Result;

/// Several strategies applied in order: Basic plus a `clientId` header
/// (ConnectWise), a token plus a `ClientId` header (Automate), a signature
/// plus a `client-type` header (Unleashed).
#[derive(Debug, Clone, Default)]
pub struct Chain {
    parts: Vec<Arc<dyn Auth>>,
}

impl Chain {
    /// No strategies yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a strategy, applied after the ones before it.
    pub fn with(mut self, auth: impl Auth + 'static) -> Self {
        self.parts.push(Arc::new(auth));
        self
    }
}

#[async_trait]
impl Auth for Chain {
    async fn authorize(
        &self,
        ctx: &AuthContext<'_>,
        req: &mut reqwest::Request,
    ) -> Result<AuthStamp> {
        // Only token strategies stamp; a chain holds at most one in practice,
        // so the largest stamp is the one that matters.
        let mut stamp = AuthStamp::default();
        for part in &self.parts {
            stamp = stamp.max_with(part.authorize(ctx, req).await?);
        }
        Ok(stamp)
    }

    async fn refresh(&self, ctx: &AuthContext<'_>, stamp: AuthStamp) -> Result<bool> {
        let mut retry = false;
        for part in &self.parts {
            retry |= part.refresh(ctx, stamp).await?;
        }
        Ok(retry)
    }

    fn secrets(&self) -> Vec<String> {
        self.parts.iter().flat_map(|p| p.secrets()).collect()
    }
}

impl AuthStamp {
    fn max_with(self, other: AuthStamp) -> AuthStamp {
        AuthStamp(self.0.max(other.0))
    }
}
