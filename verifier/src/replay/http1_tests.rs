//! The HTTP/1.1 client against canned bytes from a raw TCP server: framing by length, by
//! chunks and by close, interim responses, folded headers, keep-alive, and broken answers.

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

use super::*;

/// A server that answers each of the connection's requests with the next canned answer, then
/// closes; returns its port.
async fn serve(answers: Vec<&'static [u8]>) -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move {
        let (mut socket, _) = listener.accept().await.unwrap();
        let mut request = vec![0u8; 64 * 1024];
        for answer in answers {
            let mut seen = Vec::new();
            while !seen.windows(4).any(|w| w == b"\r\n\r\n") {
                let read = socket.read(&mut request).await.unwrap();
                if read == 0 {
                    return;
                }
                seen.extend_from_slice(&request[..read]);
            }
            socket.write_all(answer).await.unwrap();
        }
    });
    port
}

async fn one(answer: &'static [u8], head_only: bool) -> Result<(Received, bool), Http1Error> {
    let port = serve(vec![answer]).await;
    let mut connection = Connection::open("127.0.0.1", port).await.unwrap();
    connection
        .exchange(
            b"GET / HTTP/1.1\r\nhost: x\r\n\r\n",
            head_only,
            Wanted::Everything,
        )
        .await
}

#[tokio::test]
async fn a_body_framed_by_content_length_keeps_the_connection() {
    let (received, keep_alive) = one(
        b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 7\r\n\r\n{\"a\":1}",
        false,
    )
    .await
    .unwrap();
    assert_eq!(received.status, 200);
    assert_eq!(received.body, b"{\"a\":1}");
    assert_eq!(
        received.headers,
        [
            (
                "content-type".to_owned(),
                vec!["application/json".to_owned()]
            ),
            ("content-length".to_owned(), vec!["7".to_owned()]),
        ]
    );
    assert!(keep_alive);
}

#[tokio::test]
async fn a_chunked_body_is_decoded_with_extensions_and_trailers() {
    let (received, keep_alive) = one(
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4;x=y\r\nWiki\r\n5\r\npedia\r\n0\r\nX-Trailer: 1\r\n\r\n",
        false,
    )
    .await
    .unwrap();
    assert_eq!(received.body, b"Wikipedia");
    assert!(keep_alive);
}

#[tokio::test]
async fn a_body_without_length_runs_to_the_close() {
    let (received, keep_alive) = one(b"HTTP/1.1 200 OK\r\n\r\nall of it", false)
        .await
        .unwrap();
    assert_eq!(received.body, b"all of it");
    assert!(!keep_alive);
}

#[tokio::test]
async fn interim_responses_are_skipped() {
    let (received, _) = one(
        b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\nHTTP/1.1 201 Created\r\nContent-Length: 0\r\n\r\n",
        false,
    )
    .await
    .unwrap();
    assert_eq!(received.status, 201);
    assert!(received.body.is_empty());
}

#[tokio::test]
async fn head_204_and_304_responses_have_no_body() {
    let (received, keep_alive) = one(b"HTTP/1.1 200 OK\r\nContent-Length: 99\r\n\r\n", true)
        .await
        .unwrap();
    assert!(received.body.is_empty());
    assert!(keep_alive);
    for answer in [
        &b"HTTP/1.1 204 No Content\r\n\r\n"[..],
        &b"HTTP/1.1 304 Not Modified\r\nContent-Length: 5\r\n\r\n"[..],
    ] {
        let (received, keep_alive) = one(answer, false).await.unwrap();
        assert!(received.body.is_empty());
        assert!(keep_alive);
    }
}

#[tokio::test]
async fn a_folded_header_reads_with_spaces_and_names_are_lowercase() {
    let (received, _) = one(
        b"HTTP/1.1 200 OK\r\nContent-Type: application/json;\r\n charset=utf-8\r\nX-A: 1\r\nx-a: 2\r\nContent-Length: 0\r\n\r\n",
        false,
    )
    .await
    .unwrap();
    assert_eq!(received.headers[0].0, "content-type");
    assert_eq!(
        received.headers[0].1[0].replace(' ', ""),
        "application/json;charset=utf-8"
    );
    assert_eq!(
        received.headers[1],
        ("x-a".to_owned(), vec!["1".to_owned(), "2".to_owned()])
    );
}

#[tokio::test]
async fn connection_close_and_http_1_0_end_the_connection() {
    let (_, keep_alive) = one(
        b"HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 0\r\n\r\n",
        false,
    )
    .await
    .unwrap();
    assert!(!keep_alive);
    let (_, keep_alive) = one(b"HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n", false)
        .await
        .unwrap();
    assert!(!keep_alive);
    let (_, keep_alive) = one(
        b"HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 0\r\n\r\n",
        false,
    )
    .await
    .unwrap();
    assert!(keep_alive);
}

#[tokio::test]
async fn broken_answers_are_errors_that_say_what_is_wrong() {
    let cases: [(&'static [u8], &str); 5] = [
        (b"", "the connection closed before a response arrived"),
        (
            b"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nshort",
            "the connection closed in the middle of the response",
        ),
        (b"SMTP ready\r\n\r\n", "invalid response"),
        (
            b"HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab",
            "invalid response: Content-Length headers that disagree",
        ),
        (
            b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
            "invalid response: bad chunk size line \"zz\"",
        ),
    ];
    for (answer, expected) in cases {
        let error = one(answer, false).await.unwrap_err();
        assert!(
            error.describe().starts_with(expected),
            "{answer:?}: {}",
            error.describe()
        );
    }
}

#[tokio::test]
async fn one_connection_carries_many_requests_and_notices_a_close() {
    let port = serve(vec![
        b"HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\na",
        b"HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nb",
    ])
    .await;
    let mut connection = Connection::open("127.0.0.1", port).await.unwrap();
    for expected in [b"a", b"b"] {
        assert!(connection.is_idle_and_open());
        let (received, keep_alive) = connection
            .exchange(
                b"GET / HTTP/1.1\r\nhost: x\r\n\r\n",
                false,
                if expected == b"a" {
                    Wanted::Everything
                } else {
                    Wanted::StatusAndBody
                },
            )
            .await
            .unwrap();
        assert_eq!(received.body, expected);
        // Headers only when asked for.
        assert_eq!(received.headers.is_empty(), expected == b"b");
        assert!(keep_alive);
    }
    assert!(connection.reused);
    // The server has closed after its two answers.
    tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    assert!(!connection.is_idle_and_open());
}

#[tokio::test]
async fn a_refused_connection_says_so() {
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let error = Connection::open("127.0.0.1", port).await.unwrap_err();
    assert!(matches!(error, Http1Error::Connect(_)));
    assert_eq!(error.describe(), "connection refused");
}

#[tokio::test]
async fn a_body_larger_than_the_first_room_is_read_whole() {
    let body: Vec<u8> = (0..100_000u32).map(|at| b'a' + (at % 26) as u8).collect();
    let mut answer =
        format!("HTTP/1.1 200 OK\r\nContent-Length: {}\r\n\r\n", body.len()).into_bytes();
    answer.extend_from_slice(&body);
    let (received, keep_alive) = one(answer.leak(), false).await.unwrap();
    assert_eq!(received.body, body);
    assert!(keep_alive);
}
