//! Tests of the response head parser.

use super::*;

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
fn known_names_read_as_httparse_reads_them_in_any_case_and_near_misses_too() {
    let names = [
        "content-type",
        "content-length",
        "connection",
        "cache-control",
        "date",
        "server",
        "transfer-encoding",
        "keep-alive",
        "vary",
        "etag",
        "last-modified",
    ];
    let values = [
        "7",
        "keep-alive",
        "close",
        "chunked",
        "gzip",
        "text/plain",
        "a b",
    ];
    let named = [
        ("SERVER".to_owned(), vec![]),
        ("content-length".to_owned(), vec![]),
    ];
    for name in names {
        let mut spellings = vec![
            name.to_owned(),
            name.to_ascii_uppercase(),
            name.split('-')
                .map(|word| word[..1].to_ascii_uppercase() + &word[1..])
                .collect::<Vec<_>>()
                .join("-"),
            // Near misses: longer, shorter, one byte changed, a space before the colon.
            format!("{name}s"),
            format!("x{name}"),
            name[..name.len() - 1].to_owned(),
            name.replace('-', "_"),
            format!("{name} "),
        ];
        for at in 0..name.len() {
            let mut bytes = name.as_bytes().to_vec();
            bytes[at] ^= 0x01;
            spellings.push(String::from_utf8(bytes).unwrap());
        }
        for spelling in &spellings {
            for value in values {
                let head =
                    format!("HTTP/1.1 200 OK\r\n{spelling}: {value}\r\nContent-Length: 7\r\n\r\n");
                for wanted in [
                    Wanted::Everything,
                    Wanted::Matching(&named),
                    Wanted::StatusAndBody,
                ] {
                    let through = through_httparse(head.as_bytes(), wanted);
                    match parse_plain_head(head.as_bytes(), wanted) {
                        Some(plain) => assert_eq!(Ok(Some(plain)), through, "{head:?}"),
                        None => assert!(
                            through.is_err() || spelling.ends_with(' '),
                            "left to httparse: {head:?}"
                        ),
                    }
                }
            }
        }
    }
}
