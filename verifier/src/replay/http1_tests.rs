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

/// The head as `httparse` alone reads it.
fn through_httparse(bytes: &[u8], wanted: Wanted<'_>) -> Result<Option<Head>, String> {
    let mut slots = [httparse::EMPTY_HEADER; MAX_HEADERS];
    parse_head_with(bytes, &mut slots, wanted).map_err(|error| error.to_string())
}

#[test]
fn usual_heads_read_without_httparse_as_httparse_reads_them() {
    let named = [("X-Custom".to_owned(), vec![])];
    let heads: [&[u8]; 9] = [
        b"HTTP/1.1 200 OK\r\nServer: nginx\r\nDate: Fri, 27 Nov 2026 08:42:48 GMT\r\nContent-Type: application/json\r\nContent-Length: 629\r\nConnection: keep-alive\r\n\r\n{}",
        b"HTTP/1.1 204\r\n\r\n",
        b"HTTP/1.0 500 Internal \t Error\r\nconnection: Keep-Alive\r\n\r\n",
        b"HTTP/1.1 201 Created\r\nX-Custom:   a b  \t\r\nx-custom:\r\nX-CUSTOM: \t \r\nTransfer-Encoding: gzip, chunked\r\n\r\n",
        b"HTTP/1.1 200 OK\r\nContent-Length: 007\r\nContent-Length: 7\r\n\r\n",
        b"HTTP/1.1 200 OK\r\nContent-Length: 1, 2\r\nConnection: close, upgrade\r\n\r\n",
        b"HTTP/1.1 200 OK\r\nContent-Length: 99999999999999999999999\r\n\r\n",
        b"HTTP/1.1 099 x\r\n!#$%&'*+-.^_`|~09azAZ: \"quoted\" ~\r\n\r\n",
        b"HTTP/1.1 200 OK\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: +5\r\n\r\n",
    ];
    for head in heads {
        for wanted in [
            Wanted::Everything,
            Wanted::Matching(&named),
            Wanted::StatusAndBody,
        ] {
            let plain = parse_plain_head(head, wanted);
            assert!(plain.is_some(), "{:?}", String::from_utf8_lossy(head));
            assert_eq!(
                Ok(plain),
                through_httparse(head, wanted),
                "{:?}",
                String::from_utf8_lossy(head)
            );
        }
    }
}

#[test]
fn unusual_heads_are_left_to_httparse() {
    let many = format!(
        "HTTP/1.1 200 OK\r\n{}\r\n",
        "X-A: 1\r\n".repeat(USUAL_HEADERS + 1)
    );
    let heads: [&[u8]; 17] = [
        b"",
        b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n",
        b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r",
        b"HTTP/1.1 200 OK\r\nContent-Length: 2",
        b"\r\nHTTP/1.1 200 OK\r\n\r\n",
        b"HTTP/2.0 200 OK\r\n\r\n",
        b"HTTP/1.1  200 OK\r\n\r\n",
        b"HTTP/1.1 20x OK\r\n\r\n",
        b"HTTP/1.1 200 OK\n\n",
        b"HTTP/1.1 200 \xc3\xa9\r\n\r\n",
        b"HTTP/1.1 200 OK\r\nX-A: caf\xc3\xa9\r\n\r\n",
        b"HTTP/1.1 200 OK\r\nX-A: 1\r\n folded\r\n\r\n",
        b"HTTP/1.1 200 OK\r\nX A: 1\r\n\r\n",
        b"HTTP/1.1 200 OK\r\n: 1\r\n\r\n",
        b"HTTP/1.1 200 OK\r\nX-A: a\x00b\r\n\r\n",
        b"HTTP/1.1 200 OK\r\nX-A: 1\r\r\n\r\n",
        many.as_bytes(),
    ];
    for head in heads {
        assert_eq!(
            parse_plain_head(head, Wanted::Everything),
            None,
            "{:?}",
            String::from_utf8_lossy(head)
        );
    }
    // What httparse makes of some of them, through the public path.
    let folded = parse_head(
        b"HTTP/1.1 200 OK\r\nX-A: 1\r\n 2\r\n\r\n",
        Wanted::Everything,
    )
    .unwrap()
    .unwrap();
    assert_eq!(folded.headers[0].1[0], "1   2");
    assert!(matches!(
        parse_head(b"HTTP/1.1 200 OK\r\nX A: 1\r\n\r\n", Wanted::Everything),
        Err(Http1Error::Invalid(_))
    ));
    assert!(matches!(
        parse_head(b"HTTP/1.1 200 OK\r\nX-A: 1\r\n", Wanted::Everything),
        Ok(None)
    ));
    let many = parse_head(many.as_bytes(), Wanted::Everything)
        .unwrap()
        .unwrap();
    assert_eq!(many.headers[0].1.len(), USUAL_HEADERS + 1);
}

#[test]
fn line_ends_are_found_eight_bytes_at_a_time_as_byte_by_byte() {
    let by_bytes = |bytes: &[u8]| {
        let end = bytes.iter().position(|&byte| byte == b'\r')?;
        bytes[..end]
            .iter()
            .all(|&byte| byte == b'\t' || (b' '..=b'~').contains(&byte))
            .then_some(end)
    };
    // Every byte value at every position of lines up to 20 bytes, in a line of plain text.
    for length in 0..20 {
        for at in 0..length {
            for byte in 0..=255u8 {
                let mut line = vec![b'a'; length];
                line[at] = byte;
                line.push(b'\r');
                line.extend_from_slice(b"\nmore");
                assert_eq!(
                    plain_line_end(&line),
                    by_bytes(&line),
                    "{byte:#x} at {at} of {length}"
                );
            }
        }
    }
    // A tab, then another byte of note further on.
    for length in 2..24 {
        for tab in 0..length {
            for at in tab + 1..length {
                for byte in [0x00, b'\t', b'\n', b'\r', 0x1f, 0x7f, 0x80, 0xff] {
                    let mut line = vec![b'a'; length];
                    line[tab] = b'\t';
                    line[at] = byte;
                    line.extend_from_slice(b"\r\n");
                    assert_eq!(
                        plain_line_end(&line),
                        by_bytes(&line),
                        "{tab} {at} {byte:#x}"
                    );
                }
            }
        }
    }
    assert_eq!(plain_line_end(b"no end at all, long enough"), None);
    assert_eq!(plain_line_end(b""), None);
    assert_eq!(plain_line_end(b"\r"), Some(0));
}

#[test]
fn names_compare_in_any_case() {
    assert!(is_lowercase(b"Content-Length", b"content-length"));
    assert!(is_lowercase(b"CONNECTION", b"connection"));
    assert!(is_lowercase(b"Keep-Alive", b"keep-alive"));
    assert!(!is_lowercase(b"Content-Lengths", b"content-length"));
    assert!(!is_lowercase(b"Content_Length", b"content-length"));
    assert!(!is_lowercase(b"Content\rLength", b"content-length"));
    assert!(!is_lowercase(b"Connectiom", b"connection"));
    // Every byte against every letter and `-`: what `eq_ignore_ascii_case` says.
    for byte in 0..=255u8 {
        for want in (b'a'..=b'z').chain([b'-']) {
            assert_eq!(
                is_lowercase(&[byte], &[want]),
                byte.eq_ignore_ascii_case(&want),
                "{byte:#x} {want:#x}"
            );
        }
    }
}

#[test]
fn token_names_compare_in_any_case() {
    assert!(token_is(b"Content-Length", b"content-length"));
    assert!(token_is(b"CONNECTION", b"connection"));
    assert!(!token_is(b"Content-Lengths", b"content-length"));
    assert!(!token_is(b"Content_Length", b"content-length"));
    assert!(token_is(b"TRANSFER-encoding", b"transfer-encoding"));
    assert!(token_is(b"Content-Type", b"content-type"));
    assert!(token_is(b"Date", b"date"));
    // A difference at every position of names of every length up to 17.
    let lower = b"transfer-encoding";
    for length in 1..=lower.len() {
        let lower = &lower[..length];
        assert!(token_is(&lower.to_ascii_uppercase(), lower));
        for at in 0..length {
            let mut name = lower.to_vec();
            name[at] = b'x';
            assert_eq!(token_is(&name, lower), lower[at] == b'x', "{length} {at}");
        }
    }
    // Every token byte against every letter and `-`: what `eq_ignore_ascii_case` says.
    for byte in (0..=255u8).filter(|&byte| is_token(byte)) {
        for want in (b'a'..=b'z').chain([b'-']) {
            assert_eq!(
                token_is(&[byte], &[want]),
                byte.eq_ignore_ascii_case(&want),
                "{byte:#x} {want:#x}"
            );
        }
    }
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
