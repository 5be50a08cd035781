pub use mspkit_testkit::{Expected, FakeServer};
