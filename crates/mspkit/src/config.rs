//! A tenant's connection as data, and turning it into a client.
//!
//! The providers are listed once, in the `providers!` table in `lib.rs`;
//! this module holds the macro that turns the table into [`Config`](crate::Config),
//! its methods and the `connect_*` functions.

use mspkit_core::{Error, Provider};

/// Expands the provider table: for each entry, the crate's re-export under
/// its module name, a [`Config`](crate::Config) variant (serde tag = slug,
/// behind the feature), its arm in `provider()`, `is_psa()`, `is_rmm()`,
/// `connect_psa_with()` and `connect_rmm_with()`. `kind` is `psa`, `rmm` or
/// `both`; the `Config` variant's name is also the [`Provider`] variant's.
macro_rules! providers {
    ($(
        $(#[$doc:meta])*
        $variant:ident {
            feature: $feature:literal,
            slug: $slug:literal,
            kind: $kind:ident,
            module: $module:ident = $krate:ident,
            settings: $settings:ident,
            client: $client:ident $(,)?
        }
    )*) => {
        $(
            $(#[$doc])*
            #[cfg(feature = $feature)]
            #[cfg_attr(docsrs, doc(cfg(feature = $feature)))]
            pub use $krate as $module;
        )*

        /// One tenant's connection to one platform, as an application stores it
        /// (JSON, TOML, a database row). Tagged by `provider`, whose value is the
        /// provider's slug; the other keys are that provider's settings.
        ///
        /// ```
        /// let config: mspkit::Config = serde_json::from_str(r#"{
        ///     "provider": "datto",
        ///     "platform": "merlot",
        ///     "api_key": "KEY",
        ///     "api_secret": "SECRET"
        /// }"#).unwrap();
        /// assert_eq!(config.provider(), mspkit::Provider::Datto);
        /// assert!(!format!("{config:?}").contains("SECRET"));
        /// ```
        #[derive(Clone, Debug, serde::Deserialize)]
        #[serde(tag = "provider")]
        #[non_exhaustive]
        pub enum Config {
            $(
                $(#[$doc])*
                #[cfg(feature = $feature)]
                #[serde(rename = $slug)]
                $variant($krate::$settings),
            )*
        }

        impl Config {
            /// The platform this configuration connects to.
            pub fn provider(&self) -> $crate::Provider {
                // `*self`: with every provider feature off the enum is empty,
                // and only a match on the value itself may then have no arms.
                match *self {
                    $(
                        #[cfg(feature = $feature)]
                        Config::$variant(_) => $crate::Provider::$variant,
                    )*
                }
            }

            /// Whether [`connect_psa`] accepts this configuration.
            pub fn is_psa(&self) -> bool {
                match *self {
                    $(
                        #[cfg(feature = $feature)]
                        Config::$variant(_) => providers!(@is psa $kind),
                    )*
                }
            }

            /// Whether [`connect_rmm`] accepts this configuration.
            pub fn is_rmm(&self) -> bool {
                match *self {
                    $(
                        #[cfg(feature = $feature)]
                        Config::$variant(_) => providers!(@is rmm $kind),
                    )*
                }
            }
        }

        /// Builds the PSA client a configuration describes, with
        /// [`ClientOptions`]: raw passthrough, retry policy, rate limit,
        /// timeouts, a shared `reqwest` client. Settings are checked here (an
        /// empty key, a bad URL, `http://` without `allow_insecure_http`, in
        /// the settings or the options), before any request; a configuration
        /// of an RMM-only platform is an `ErrorKind::Config` error that says to use
        /// [`connect_rmm`].
        pub fn connect_psa_with(
            config: &Config,
            options: $crate::ClientOptions,
        ) -> $crate::Result<Box<dyn $crate::PsaClient>> {
            let _ = &options;
            match *config {
                $(
                    #[cfg(feature = $feature)]
                    Config::$variant(ref s) => {
                        providers!(@connect psa $kind, $krate::$client, $variant, s, options)
                    }
                )*
            }
        }

        /// Builds the RMM client a configuration describes, with
        /// [`ClientOptions`]. Settings are checked here, before any request;
        /// a configuration of a PSA-only platform is an `ErrorKind::Config` error that
        /// says to use [`connect_psa`].
        pub fn connect_rmm_with(
            config: &Config,
            options: $crate::ClientOptions,
        ) -> $crate::Result<Box<dyn $crate::RmmClient>> {
            let _ = &options;
            match *config {
                $(
                    #[cfg(feature = $feature)]
                    Config::$variant(ref s) => {
                        providers!(@connect rmm $kind, $krate::$client, $variant, s, options)
                    }
                )*
            }
        }
    };

    (@is psa psa) => { true };
    (@is psa both) => { true };
    (@is psa rmm) => { false };
    (@is rmm rmm) => { true };
    (@is rmm both) => { true };
    (@is rmm psa) => { false };

    (@connect psa psa, $client:path, $variant:ident, $s:ident, $o:ident) => {
        Ok(Box::new(<$client>::from_settings_with($s, $o)?))
    };
    (@connect psa both, $client:path, $variant:ident, $s:ident, $o:ident) => {
        Ok(Box::new(<$client>::from_settings_with($s, $o)?))
    };
    (@connect rmm rmm, $client:path, $variant:ident, $s:ident, $o:ident) => {
        Ok(Box::new(<$client>::from_settings_with($s, $o)?))
    };
    (@connect rmm both, $client:path, $variant:ident, $s:ident, $o:ident) => {
        Ok(Box::new(<$client>::from_settings_with($s, $o)?))
    };
    (@connect psa rmm, $client:path, $variant:ident, $s:ident, $o:ident) => {{
        let _ = $s;
        Err($crate::config::wrong_kind(
            $crate::Provider::$variant,
            "connect_psa",
            "a PSA",
            "connect_rmm",
        ))
    }};
    (@connect rmm psa, $client:path, $variant:ident, $s:ident, $o:ident) => {{
        let _ = $s;
        Err($crate::config::wrong_kind(
            $crate::Provider::$variant,
            "connect_rmm",
            "an RMM",
            "connect_psa",
        ))
    }};
}

/// Builds the PSA client a configuration describes, with the default
/// [`ClientOptions`](crate::ClientOptions). Settings are checked here (an
/// empty key, a bad URL, `http://` without `allow_insecure_http`), before any
/// request; a configuration of an RMM-only platform is an `ErrorKind::Config` error
/// that says to use [`connect_rmm`].
pub fn connect_psa(config: &crate::Config) -> crate::Result<Box<dyn crate::PsaClient>> {
    crate::connect_psa_with(config, crate::ClientOptions::default())
}

/// Builds the RMM client a configuration describes, with the default
/// [`ClientOptions`](crate::ClientOptions). Settings are checked here, before
/// any request; a configuration of a PSA-only platform is an `ErrorKind::Config` error
/// that says to use [`connect_psa`].
pub fn connect_rmm(config: &crate::Config) -> crate::Result<Box<dyn crate::RmmClient>> {
    crate::connect_rmm_with(config, crate::ClientOptions::default())
}

// Unused when every provider feature is off.
#[allow(dead_code)]
pub(crate) fn wrong_kind(
    provider: Provider,
    operation: &'static str,
    kind: &str,
    other: &str,
) -> Error {
    Error::new(provider, operation, mspkit_core::ErrorKind::Config).with_message(format!(
        "{} is not {kind}; use {other}",
        provider.display_name()
    ))
}
