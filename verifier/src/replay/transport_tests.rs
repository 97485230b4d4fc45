//! Requests as written on the wire, endpoints, and both ways of sending (the HTTP/1.1 client
//! and `reqwest`) giving the same answers.

use super::*;

fn wire_of(request: &Outgoing) -> String {
    let mut wire = Vec::new();
    write_request(&mut wire, request, "h:1");
    String::from_utf8(wire).unwrap()
}

#[test]
fn a_request_is_written_as_http_1_1_with_its_own_length() {
    let request = Outgoing {
        method: Method::POST,
        target: "/a?b=1".into(),
        headers: vec![
            (
                HeaderName::from_static("x-one"),
                HeaderValue::from_static("1"),
            ),
            (
                reqwest::header::CONTENT_LENGTH,
                HeaderValue::from_static("999"),
            ),
        ]
        .into(),
        body: Some(Cow::Borrowed(b"0123456789")),
    };
    assert_eq!(
        wire_of(&request),
        concat!(
            "POST /a?b=1 HTTP/1.1\r\nhost: h:1\r\nx-one: 1\r\nuser-agent: treaty/",
            env!("CARGO_PKG_VERSION"),
            "\r\naccept: */*\r\ncontent-length: 10\r\n\r\n0123456789"
        )
    );
}

#[test]
fn the_contract_host_user_agent_and_accept_are_kept() {
    let request = Outgoing {
        method: Method::GET,
        target: "/".into(),
        headers: ["host", "user-agent", "accept"]
            .into_iter()
            .map(|name| {
                (
                    HeaderName::from_static(name),
                    HeaderValue::from_static("mine"),
                )
            })
            .collect(),
        body: None,
    };
    assert_eq!(
        wire_of(&request),
        "GET / HTTP/1.1\r\nhost: mine\r\nuser-agent: mine\r\naccept: mine\r\n\r\n"
    );
    let empty_post = Outgoing {
        method: Method::POST,
        headers: Cow::Borrowed(&[]),
        ..request
    };
    assert!(wire_of(&empty_post).ends_with("content-length: 0\r\n\r\n"));
}

#[test]
fn endpoints_know_where_to_connect_and_what_host_to_name() {
    let endpoint = Endpoint::parse("http://[::1]:8080/base/?x=1").unwrap();
    let plain = endpoint.plain.as_ref().unwrap();
    assert_eq!(plain.connect_host, "::1");
    assert_eq!(plain.host_header, "[::1]:8080");
    assert_eq!(endpoint.origin(), "http://[::1]:8080");
    assert_eq!(endpoint.base_path(), "/base");
    assert_eq!(endpoint.own_target, "/base/?x=1");
    let default_port = Endpoint::parse("http://example.test/").unwrap();
    assert_eq!(default_port.plain.as_ref().unwrap().port, 80);
    assert_eq!(
        default_port.plain.as_ref().unwrap().host_header,
        "example.test"
    );
    assert!(
        Endpoint::parse("https://example.test")
            .unwrap()
            .plain
            .is_none()
    );
    // reqwest turns credentials in the URL into Basic authentication.
    let with_credentials = Endpoint::parse("http://me:secret@example.test").unwrap();
    assert!(with_credentials.plain.is_none());
}

#[test]
fn endpoints_on_one_origin_share_the_name_of_their_connections() {
    let provider = Endpoint::parse("http://127.0.0.1:8080/").unwrap();
    let mut states = Endpoint::parse("http://127.0.0.1:8080/_pact/states").unwrap();
    let mut elsewhere = Endpoint::parse("http://127.0.0.1:9090/_pact/states").unwrap();
    states.share_connections_with(&provider);
    elsewhere.share_connections_with(&provider);
    let key = |endpoint: &Endpoint| Arc::clone(&endpoint.plain.as_ref().unwrap().key);
    assert!(Arc::ptr_eq(&key(&states), &key(&provider)));
    assert_eq!(&*key(&elsewhere), "127.0.0.1:9090");
}

#[test]
fn decimals_are_written_without_formatting() {
    let mut digits = [0u8; 20];
    assert_eq!(decimal(0, &mut digits), b"0");
    assert_eq!(decimal(1234567, &mut digits), b"1234567");
    assert_eq!(
        decimal(usize::MAX, &mut digits),
        usize::MAX.to_string().as_bytes()
    );
}

#[test]
fn durations_read_like_flags() {
    assert_eq!(human_duration(Duration::from_millis(250)), "250ms");
    assert_eq!(human_duration(Duration::from_secs(2)), "2s");
    assert_eq!(human_duration(Duration::from_millis(1500)), "1.5s");
}

/// A server that answers every request on a connection with `answer`, closing each connection
/// after `per_connection` answers; returns its URL and a counter of connections accepted.
async fn server(
    answer: &'static [u8],
    per_connection: usize,
) -> (String, std::sync::Arc<std::sync::atomic::AtomicUsize>) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let accepted = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let counter = std::sync::Arc::clone(&accepted);
    tokio::spawn(async move {
        loop {
            let (mut socket, _) = listener.accept().await.unwrap();
            counter.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            tokio::spawn(async move {
                let mut buffer = vec![0u8; 64 * 1024];
                for _ in 0..per_connection {
                    let mut seen = Vec::new();
                    while !seen.windows(4).any(|w| w == b"\r\n\r\n") {
                        match socket.read(&mut buffer).await {
                            Ok(0) | Err(_) => return,
                            Ok(read) => seen.extend_from_slice(&buffer[..read]),
                        }
                    }
                    if socket.write_all(answer).await.is_err() {
                        return;
                    }
                }
            });
        }
    });
    (url, accepted)
}

fn get(target: &str) -> Outgoing<'_> {
    Outgoing {
        method: Method::GET,
        target: target.into(),
        headers: Cow::Borrowed(&[]),
        body: None,
    }
}

fn session() -> Session {
    Session::new(reqwest::Client::new(), Duration::from_secs(5))
}

const ANSWER: &[u8] = b"HTTP/1.1 201 Created\r\nContent-Type: application/json\r\nX-Two: a\r\nX-Two: b\r\nContent-Length: 2\r\n\r\n{}";

#[tokio::test]
async fn both_clients_read_a_response_the_same_way() {
    let (url, _) = server(ANSWER, usize::MAX).await;
    let plain = Endpoint::parse(&url).unwrap();
    let mut through_reqwest = plain.clone();
    through_reqwest.plain = None;
    let mut session = session();
    let ours = session
        .send(&plain, &get("/x"), Wanted::Everything)
        .await
        .unwrap();
    let theirs = session
        .send(&through_reqwest, &get("/x"), Wanted::Everything)
        .await
        .unwrap();
    assert_eq!(ours.status, 201);
    assert_eq!(ours.body, b"{}");
    assert!(
        ours.headers
            .contains(&("x-two".to_owned(), vec!["a".to_owned(), "b".to_owned()]))
    );
    assert_eq!(ours, theirs);
}

#[tokio::test]
async fn a_connection_is_kept_and_a_closed_one_replaced() {
    let (url, accepted) = server(ANSWER, usize::MAX).await;
    let endpoint = Endpoint::parse(&url).unwrap();
    let mut session = session();
    for _ in 0..3 {
        session
            .send(&endpoint, &get("/"), Wanted::StatusAndBody)
            .await
            .unwrap();
    }
    assert_eq!(accepted.load(std::sync::atomic::Ordering::SeqCst), 1);

    // A provider that closes each connection after one answer without saying so.
    let (url, accepted) = server(ANSWER, 1).await;
    let endpoint = Endpoint::parse(&url).unwrap();
    for _ in 0..3 {
        let received = session
            .send(&endpoint, &get("/"), Wanted::StatusAndBody)
            .await
            .unwrap();
        assert_eq!(received.status, 201);
        assert!(received.headers.is_empty());
    }
    assert_eq!(accepted.load(std::sync::atomic::Ordering::SeqCst), 3);
}

#[tokio::test]
async fn failures_say_what_happened_on_both_clients() {
    let refused = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        format!("http://{}", listener.local_addr().unwrap())
    };
    let plain = Endpoint::parse(&refused).unwrap();
    let mut through_reqwest = plain.clone();
    through_reqwest.plain = None;
    let mut session = session();
    for endpoint in [&plain, &through_reqwest] {
        let error = session
            .send(endpoint, &get("/"), Wanted::Everything)
            .await
            .unwrap_err();
        assert_eq!(error, SendError::Connect("connection refused".to_owned()));
    }

    // A provider that accepts and never answers.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let silent = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        let mut open = Vec::new();
        while let Ok((socket, _)) = listener.accept().await {
            open.push(socket);
        }
    });
    let plain = Endpoint::parse(&silent).unwrap();
    let mut session = Session::new(
        reqwest::Client::builder()
            .timeout(Duration::from_millis(200))
            .build()
            .unwrap(),
        Duration::from_millis(200),
    );
    let mut through_reqwest = plain.clone();
    through_reqwest.plain = None;
    for endpoint in [&plain, &through_reqwest] {
        let error = session
            .send(endpoint, &get("/"), Wanted::Everything)
            .await
            .unwrap_err();
        assert_eq!(error, SendError::Timeout);
    }
}

#[test]
fn a_proxy_in_the_environment_sends_requests_through_reqwest() {
    let url = Url::parse("http://provider.internal:8080/").unwrap();
    let applies = |pairs: &[(&str, &str)]| {
        proxy_may_apply(&url, |name: &str| {
            pairs
                .iter()
                .find(|(key, _)| *key == name)
                .map(|(_, value)| (*value).to_owned())
        })
    };
    assert!(!applies(&[]));
    assert!(applies(&[("HTTP_PROXY", "http://proxy:3128")]));
    assert!(applies(&[("all_proxy", "socks5://proxy")]));
    assert!(!applies(&[("https_proxy", "http://proxy:3128")]));
    for no_proxy in [
        "provider.internal",
        ".internal",
        "internal",
        "*",
        "a, Provider.Internal",
    ] {
        assert!(
            !applies(&[("http_proxy", "http://proxy:3128"), ("NO_PROXY", no_proxy)]),
            "{no_proxy}"
        );
    }
    assert!(applies(&[
        ("http_proxy", "http://proxy:3128"),
        ("no_proxy", "other.internal")
    ]));
}

#[tokio::test]
async fn a_json_post_is_written_as_send_would_write_it() {
    let (url, _) = server(ANSWER, usize::MAX).await;
    for path in ["/_pact/provider-states", "/states?x=1", ""] {
        let endpoint = Endpoint::parse(&format!("{url}{path}")).unwrap();
        let mut session = session();
        let body = br#"{"state":"a","params":{},"action":"setup"}"#;
        let received = session.post_json(&endpoint, body, true).await.unwrap();
        assert_eq!(received.status, 201);
        assert!(received.headers.is_empty());
        let mut expected = Vec::new();
        write_request(
            &mut expected,
            &json_post(&endpoint.own_target, body),
            &endpoint.plain.as_ref().unwrap().host_header,
        );
        assert_eq!(
            String::from_utf8(session.wire.clone()).unwrap(),
            String::from_utf8(expected).unwrap()
        );
        let wire = String::from_utf8(session.wire.clone()).unwrap();
        assert!(wire.starts_with("POST /"), "{wire}");
        assert!(
            wire.contains("\r\ncontent-type: application/json\r\n"),
            "{wire}"
        );
        assert!(
            wire.ends_with(&format!(
                "\r\ncontent-length: {}\r\n\r\n{}",
                body.len(),
                String::from_utf8_lossy(body)
            )),
            "{wire}"
        );
    }
}

#[tokio::test]
async fn a_json_post_reads_the_body_of_a_success_only_when_asked() {
    let failure: &'static [u8] =
        b"HTTP/1.1 500 Internal Server Error\r\nContent-Length: 4\r\n\r\noops";
    for (answer, body_of_success, body) in [
        (ANSWER, true, &b"{}"[..]),
        (ANSWER, false, &b""[..]),
        (failure, false, &b"oops"[..]),
        (failure, true, &b"oops"[..]),
    ] {
        let (url, _) = server(answer, usize::MAX).await;
        let endpoint = Endpoint::parse(&url).unwrap();
        let mut session = session();
        for _ in 0..2 {
            let received = session
                .post_json(&endpoint, b"{}", body_of_success)
                .await
                .unwrap();
            assert_eq!(received.body, body);
        }
    }
}

/// A task whose budget is spent when the exchange first waits must still time out: the
/// session timer is polled outside the budget, as `tokio::time::timeout` polls its delay.
#[tokio::test(flavor = "current_thread")]
async fn a_request_times_out_even_when_the_task_budget_is_spent() {
    let mut timer = None;
    let deadline = deadline_after(Duration::from_millis(50));
    let mut first = true;
    let exchange = std::future::poll_fn(move |context| {
        if first {
            first = false;
            loop {
                let mut spend = std::pin::pin!(tokio::task::consume_budget());
                if spend.as_mut().poll(context).is_pending() {
                    break;
                }
            }
        }
        // A provider that never answers.
        Poll::<Result<Received, SendError>>::Pending
    });
    let outcome = tokio::time::timeout(
        Duration::from_secs(2),
        within(&mut timer, deadline, exchange),
    )
    .await;
    assert!(
        matches!(outcome, Ok(Err(SendError::Timeout))),
        "{outcome:?}"
    );
}
