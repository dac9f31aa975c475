//! Fan-out per (app, topic): one bounded tokio broadcast channel per topic
//! that has subscribers, created by the first and dropped with the last, so a
//! busy topic fills only its own subscribers' queues and never makes a
//! subscriber of another topic lag.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use tokio::sync::broadcast::{self, error::RecvError};

/// An app and a topic in it.
type Key = (String, String);

type Channels<T> = Arc<Mutex<HashMap<Key, broadcast::Sender<T>>>>;

/// Channels by (app, topic).
pub struct Fanout<T> {
    channels: Channels<T>,
    capacity: usize,
}

impl<T: Clone + Send + 'static> Fanout<T> {
    /// Channels that each queue up to `capacity` values per subscriber.
    pub fn new(capacity: usize) -> Fanout<T> {
        Fanout { channels: Arc::default(), capacity: capacity.max(1) }
    }

    /// A receiver of what is sent to `topic` of `app` from now on.
    pub fn subscribe(&self, app: &str, topic: &str) -> TopicReceiver<T> {
        let key = (app.to_string(), topic.to_string());
        let mut channels = self.channels.lock().expect("fan-out lock");
        let rx = channels.entry(key.clone()).or_insert_with(|| broadcast::channel(self.capacity).0).subscribe();
        TopicReceiver { rx: Some(rx), channels: self.channels.clone(), key }
    }

    /// Hands `value` to the topic's subscribers on this instance (none: dropped).
    pub fn send(&self, app: &str, topic: &str, value: T) {
        let channels = self.channels.lock().expect("fan-out lock");
        if let Some(tx) = channels.get(&(app.to_string(), topic.to_string())) {
            let _ = tx.send(value);
        }
    }

    /// How many topics have subscribers on this instance.
    pub fn topics(&self) -> usize {
        self.channels.lock().expect("fan-out lock").len()
    }
}

/// One subscriber of one topic; the topic's channel goes with its last subscriber.
pub struct TopicReceiver<T> {
    rx: Option<broadcast::Receiver<T>>,
    channels: Channels<T>,
    key: Key,
}

impl<T: Clone> TopicReceiver<T> {
    /// The next value; `Lagged(n)` when this subscriber fell `n` values behind its queue.
    pub async fn recv(&mut self) -> Result<T, RecvError> {
        match self.rx.as_mut() {
            Some(rx) => rx.recv().await,
            None => Err(RecvError::Closed),
        }
    }
}

impl<T> Drop for TopicReceiver<T> {
    fn drop(&mut self) {
        // Under the lock, so no subscriber can join between the count and the removal.
        let mut channels = self.channels.lock().expect("fan-out lock");
        drop(self.rx.take());
        if channels.get(&self.key).is_some_and(|tx| tx.receiver_count() == 0) {
            channels.remove(&self.key);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_flood_on_one_topic_leaves_another_topic_alone_and_channels_go_with_their_last_subscriber() {
        let fanout = Fanout::<u32>::new(4);
        let mut busy = fanout.subscribe("a", "busy");
        let mut quiet = fanout.subscribe("a", "quiet");
        let other_app = fanout.subscribe("b", "quiet");
        for i in 0..100 {
            fanout.send("a", "busy", i);
        }
        fanout.send("a", "quiet", 7);
        assert_eq!(quiet.recv().await.unwrap(), 7);
        assert!(matches!(busy.recv().await, Err(RecvError::Lagged(_))));
        assert_eq!(fanout.topics(), 3);
        drop((busy, other_app));
        assert_eq!(fanout.topics(), 1);
        let again = fanout.subscribe("a", "quiet");
        drop(quiet);
        assert_eq!(fanout.topics(), 1, "one subscriber left");
        drop(again);
        assert_eq!(fanout.topics(), 0);
        fanout.send("a", "quiet", 1); // nobody listens: nothing kept
        assert_eq!(fanout.topics(), 0);
    }
}
