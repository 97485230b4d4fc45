//! HAL links in the Pact Broker's shape: absolute hrefs built from the request's public address
//! (`--base-url`, a trusted proxy's `X-Forwarded-*`, or the request's scheme and host), one
//! percent-encoded segment at a time, and `templated: true` on every template.

use actix_web::HttpRequest;
use actix_web::HttpResponse;
use actix_web::http::StatusCode;
use actix_web::http::header::CONTENT_TYPE;
use serde_json::{Value, json};

use crate::http::public_url;

/// The Content-Type of every 2xx body.
pub const HAL_JSON: &str = "application/hal+json;charset=utf-8";

/// The public base of a request under the app's settings (the defaults outside an app).
pub fn public_base_of(request: &HttpRequest) -> String {
    match request.app_data::<actix_web::web::Data<crate::app::AppState>>() {
        Some(state) => public_url::request_base(request, &state.public_address),
        None => public_url::request_base(request, &public_url::PublicAddress::default()),
    }
}

/// Builds absolute links for one request.
#[derive(Debug, Clone)]
pub struct Links {
    base: String,
}

impl Links {
    /// Links rooted at the request's public address (see [`crate::http::public_url`]).
    pub fn from_request(request: &HttpRequest) -> Self {
        Self {
            base: public_base_of(request),
        }
    }

    /// Where events of this request come from, for webhook templates.
    pub fn origin(&self) -> crate::domain::webhooks::Origin {
        crate::domain::webhooks::Origin {
            base_url: self.base.clone(),
        }
    }

    /// The absolute URL of a path made of `segments`, each percent-encoded.
    pub fn url(&self, segments: &[&str]) -> String {
        if segments.is_empty() {
            return format!("{}/", self.base);
        }
        crate::domain::webhooks::trigger::url_under(&self.base, segments)
    }

    /// `{href}` for a path.
    pub fn link(&self, segments: &[&str]) -> Value {
        json!({ "href": self.url(segments) })
    }

    /// `{href, title, name}` for a path.
    pub fn named(&self, segments: &[&str], title: &str, name: &str) -> Value {
        json!({ "href": self.url(segments), "title": title, "name": name })
    }

    /// A templated link; `template` is a path such as `/pacticipants/{pacticipant}`.
    pub fn template(&self, template: &str) -> Value {
        json!({ "href": format!("{}{}", self.base, template), "templated": true })
    }

    /// A templated link whose first segments are concrete: `prefix` is encoded, `rest` is a
    /// template suffix such as `/versions/{version}`.
    pub fn template_under(&self, prefix: &[&str], rest: &str) -> Value {
        json!({ "href": format!("{}{}", self.url(prefix), rest), "templated": true })
    }
}

/// A HAL JSON response.
pub fn hal(status: StatusCode, body: Value) -> HttpResponse {
    HttpResponse::build(status)
        .insert_header((CONTENT_TYPE, HAL_JSON))
        .body(body.to_string())
}

/// 200 with a HAL JSON body.
pub fn ok(body: Value) -> HttpResponse {
    hal(StatusCode::OK, body)
}

/// 201 with a `Location` and a HAL JSON body.
pub fn created(location: &str, body: Value) -> HttpResponse {
    let mut response = hal(StatusCode::CREATED, body);
    if let Ok(value) = actix_web::http::header::HeaderValue::from_str(location) {
        response
            .headers_mut()
            .insert(actix_web::http::header::LOCATION, value);
    }
    response
}
