//! Request bodies that are not JSON: bytes or a stream ([`BinaryBody`]), and
//! `multipart/form-data` ([`Multipart`], [`FilePart`]). How they are encoded is in
//! [`OperationRequest`](crate::OperationRequest)'s `*_body` methods.

use std::fmt;
use std::sync::{Arc, Mutex};

use bytes::Bytes;

/// The body of an operation that sends bytes: `application/octet-stream`, another
/// binary media type, or any media type (`*/*`).
///
/// Made from bytes (`Bytes`, `Vec<u8>`, `String`, a `&'static` slice or `str`), it can
/// be sent again, so a failed attempt is retried as the client's
/// [`RetryPolicy`](crate::RetryPolicy) allows. Made from a streaming
/// [`reqwest::Body`] (a file, a stream of chunks: `reqwest::Body::wrap`), it is read
/// once, as it is sent: a request with a streaming body is never retried, and cloning
/// the request does not copy the stream (the second one sent fails with
/// [`Error::InvalidInput`](crate::Error::InvalidInput)). A streaming body cannot be
/// signed with AK/SK (Huawei Cloud): use bytes there.
///
/// The `Content-Type` sent is the one the spec gives the body, or
/// `application/octet-stream` when the spec allows any (`*/*`, `image/*`);
/// [`content_type`](Self::content_type) chooses another.
#[derive(Clone)]
pub struct BinaryBody {
    pub(crate) data: BodyData,
    pub(crate) content_type: Option<String>,
}

/// Bytes, or a stream that can be taken once.
#[derive(Clone)]
pub(crate) enum BodyData {
    Bytes(Bytes),
    Stream(OneShot),
}

/// A streaming body, shared by the clones of one request: the first attempt that sends it
/// takes it.
#[derive(Clone)]
pub(crate) struct OneShot(Arc<Mutex<Option<reqwest::Body>>>);

impl OneShot {
    /// The stream, unless a request sent it already.
    pub(crate) fn take(&self) -> Option<reqwest::Body> {
        // A poisoned lock only means another thread panicked while taking it.
        match self.0.lock() {
            Ok(mut slot) => slot.take(),
            Err(poisoned) => poisoned.into_inner().take(),
        }
    }
}

impl BinaryBody {
    /// Sends the body with this `Content-Type` (checked before anything is sent)
    /// instead of the operation's.
    pub fn content_type(mut self, content_type: impl Into<String>) -> Self {
        self.content_type = Some(content_type.into());
        self
    }

    /// Whether the body can be sent again (it is bytes, not a stream).
    pub fn is_retryable(&self) -> bool {
        matches!(self.data, BodyData::Bytes(_))
    }

    /// The body's length, when it is bytes.
    pub fn len(&self) -> Option<usize> {
        match &self.data {
            BodyData::Bytes(bytes) => Some(bytes.len()),
            BodyData::Stream(_) => None,
        }
    }

    /// Whether the body is zero bytes (a stream is not known to be empty).
    pub fn is_empty(&self) -> bool {
        self.len() == Some(0)
    }
}

impl From<Bytes> for BinaryBody {
    fn from(bytes: Bytes) -> Self {
        BinaryBody {
            data: BodyData::Bytes(bytes),
            content_type: None,
        }
    }
}

impl From<Vec<u8>> for BinaryBody {
    fn from(bytes: Vec<u8>) -> Self {
        Bytes::from(bytes).into()
    }
}

impl From<&'static [u8]> for BinaryBody {
    fn from(bytes: &'static [u8]) -> Self {
        Bytes::from_static(bytes).into()
    }
}

impl From<String> for BinaryBody {
    fn from(text: String) -> Self {
        Bytes::from(text).into()
    }
}

impl From<&'static str> for BinaryBody {
    fn from(text: &'static str) -> Self {
        Bytes::from_static(text.as_bytes()).into()
    }
}

impl From<reqwest::Body> for BinaryBody {
    /// Bytes stay bytes (retryable); a stream is sent once.
    fn from(body: reqwest::Body) -> Self {
        let data = match body.as_bytes() {
            Some(bytes) => BodyData::Bytes(Bytes::copy_from_slice(bytes)),
            None => BodyData::Stream(OneShot(Arc::new(Mutex::new(Some(body))))),
        };
        BinaryBody {
            data,
            content_type: None,
        }
    }
}

impl fmt::Debug for BinaryBody {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The length, not the content: a body may hold anything.
        let mut out = f.debug_struct("BinaryBody");
        match &self.data {
            BodyData::Bytes(bytes) => out.field("len", &bytes.len()),
            BodyData::Stream(_) => out.field("stream", &true),
        };
        out.field("content_type", &self.content_type).finish()
    }
}

/// A `multipart/form-data` body: named parts, each text or a file, sent in the order
/// they were added (a name may repeat, for an array).
///
/// ```
/// use codearts_runtime::{FilePart, Multipart};
///
/// let form = Multipart::new()
///     .text("description", "holiday")
///     .file("photo", FilePart::new(vec![0xff, 0xd8]).file_name("a.jpg").content_type("image/jpeg"));
/// assert_eq!(form.names().collect::<Vec<_>>(), ["description", "photo"]);
/// ```
///
/// A part without a content type of its own gets the one the spec's `encoding` gives
/// its name, if any; otherwise text is sent without one (`text/plain` by RFC 7578) and
/// a file as `application/octet-stream`. The body is encoded to bytes before it is
/// sent, so a request with one is retried like any other.
#[derive(Clone, Default)]
pub struct Multipart {
    pub(crate) parts: Vec<(String, Part)>,
}

/// One part of a [`Multipart`] body.
#[derive(Clone)]
pub(crate) enum Part {
    Text(String),
    File(FilePart),
}

impl Multipart {
    /// An empty body.
    pub fn new() -> Self {
        Multipart::default()
    }

    /// Adds a text part.
    pub fn text(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.parts.push((name.into(), Part::Text(value.into())));
        self
    }

    /// Adds a file part.
    pub fn file(mut self, name: impl Into<String>, file: FilePart) -> Self {
        self.parts.push((name.into(), Part::File(file)));
        self
    }

    /// The parts' names, in order.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.parts.iter().map(|(name, _)| name.as_str())
    }
}

impl fmt::Debug for Multipart {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Names and sizes: the content may be anything.
        let mut list = f.debug_list();
        for (name, part) in &self.parts {
            match part {
                Part::Text(text) => {
                    list.entry(&format_args!("{name:?}: text ({} bytes)", text.len()))
                }
                Part::File(file) => list.entry(&format_args!("{name:?}: {file:?}")),
            };
        }
        list.finish()
    }
}

/// A file in a [`Multipart`] body: its bytes, and optionally its file name and
/// content type.
#[derive(Clone)]
pub struct FilePart {
    pub(crate) bytes: Bytes,
    pub(crate) file_name: Option<String>,
    pub(crate) content_type: Option<String>,
}

impl FilePart {
    /// A file of these bytes.
    pub fn new(bytes: impl Into<Bytes>) -> Self {
        FilePart {
            bytes: bytes.into(),
            file_name: None,
            content_type: None,
        }
    }

    /// Sends `filename` in the part's `Content-Disposition` (it must not hold a line
    /// break, which is checked before anything is sent).
    pub fn file_name(mut self, file_name: impl Into<String>) -> Self {
        self.file_name = Some(file_name.into());
        self
    }

    /// The part's `Content-Type` (checked before anything is sent).
    pub fn content_type(mut self, content_type: impl Into<String>) -> Self {
        self.content_type = Some(content_type.into());
        self
    }
}

impl fmt::Debug for FilePart {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FilePart")
            .field("len", &self.bytes.len())
            .field("file_name", &self.file_name)
            .field("content_type", &self.content_type)
            .finish()
    }
}
