//! Tests of the actual side's JSON tree, above all that it reads exactly what
//! `serde_json::from_str::<Value>` reads: the same values, the same number kinds, the same
//! errors.

use std::borrow::Cow;
use std::path::Path;

use serde_json::Value;

use super::{Node, fast_reader};

#[test]
fn nodes_stay_small() {
    // Every node is moved into its container as it is read: boxed slices and an optional
    // sorted index keep it at 40 bytes (56 with two vectors in an object).
    assert!(size_of::<Node>() <= 40, "{}", size_of::<Node>());
    assert!(size_of::<(Cow<str>, Node)>() <= 64);
}

fn round_trip(text: &str) {
    let node = Node::parse_str(text).unwrap();
    let value: Value = serde_json::from_str(text).unwrap();
    assert_eq!(node.to_value(), value, "{text}");
    assert_eq!(
        serde_json::to_string(&node.to_value()).unwrap(),
        serde_json::to_string(&value).unwrap(),
        "{text}"
    );
    assert_eq!(Node::borrow_value(&value), node, "{text}");
}

#[test]
fn reads_like_serde_json_value() {
    round_trip(r#"{"b":1,"a":[true,null,-2,3.5,1e300,"x\"y"],"c":{"d":"e"}}"#);
    round_trip(r#"{"a":1,"b":2,"a":3}"#);
    round_trip("18446744073709551615");
    round_trip(r#""\u00e9t\u00e9""#);
}

#[test]
fn large_objects_are_found_by_key_and_deduplicated() {
    let mut text = String::from("{");
    for i in 0..40 {
        text.push_str(&format!("\"k{i}\":{i},"));
    }
    text.push_str("\"k7\":\"last\"}");
    let node = Node::parse_str(&text).unwrap();
    let Node::Object(object) = &node else {
        panic!("not an object")
    };
    assert_eq!(object.len(), 40);
    assert_eq!(object.get("k7"), Some(&Node::String("last".into())));
    assert_eq!(object.get("k39"), Some(&Node::Number(39.into())));
    assert_eq!(object.get("k40"), None);
    let value: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(node.to_value(), value);
}

#[test]
fn keys_found_in_order_are_the_keys_found() {
    let node = Node::parse_str(r#"{"a":1,"b":2,"c":3,"d":4}"#).unwrap();
    let Node::Object(object) = &node else {
        panic!("not an object")
    };
    for keys in [
        ["a", "b", "c", "d", "x"],
        ["d", "c", "b", "a", "x"],
        ["b", "x", "a", "d", "c"],
    ] {
        for start in 0..6 {
            let mut next = start;
            for key in keys {
                assert_eq!(
                    object.get_in_order(key, &mut next),
                    object.get(key),
                    "{key}"
                );
            }
        }
    }
}

/// The fast reader either gives up or reads exactly what serde does.
#[test]
fn the_fast_reader_agrees_with_serde() {
    let documents = [
        r#"{"a":1,"b":[1,2,{"c":null}],"d":"x","e":true,"f":false}"#,
        r#" { "a" : -1 , "b" : 1.5e3 , "c" : [ ] , "d" : { } } "#,
        r#"[0,-0,-0.0,1E2,1e-2,18446744073709551615,18446744073709551616]"#,
        r#"[-9223372036854775808,-9223372036854775809,9223372036854775807]"#,
        r#"{"a":"é","b":"tab	here","c":"x"y"}"#,
        r#"{"a":1,"a":2}"#,
        r#""é""#,
        "[1,]",
        r#"{"a":1,}"#,
        "01",
        "1.",
        "1e",
        "-",
        "[1 2]",
        r#"{"a" 1}"#,
        "{1:2}",
        "tru",
        "nul",
        "[\"a\nb\"]",
        "1e400",
        "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]",
        "",
        "  ",
        "{}x",
    ];
    for text in documents {
        check_like_serde(text);
    }
    assert!(fast_reader::read(documents[0]).is_some());
    assert!(fast_reader::read(documents[1]).is_some());
}

/// The word-at-a-time scan finds the same first special byte as a byte-by-byte one, at
/// every position and next to multi-byte characters.
#[test]
fn special_bytes_are_found_like_one_at_a_time() {
    let specials = [b'"', b'\\', 0u8, 0x1f, b'\n'];
    let fillers = [
        b'a', b' ', 0x20, 0x7f, 0x80, 0xc3, 0xff, b'!', b'#', b'[', b']',
    ];
    for length in 0..40 {
        for filler in fillers {
            for special in specials {
                for at in 0..=length {
                    let mut bytes = vec![filler; length];
                    if at < length {
                        bytes[at] = special;
                    }
                    let slow = bytes
                        .iter()
                        .position(|byte| matches!(byte, b'"' | b'\\' | 0..=0x1f));
                    assert_eq!(fast_reader::special_byte(&bytes), slow, "{bytes:?}");
                }
            }
        }
    }
}

/// Floats the fast reader computes itself come out as `serde_json` reads them.
#[test]
fn simple_floats_are_read_like_serde() {
    let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let mut texts = vec![
        "0.0".to_owned(),
        "-0.0".to_owned(),
        "0.1".to_owned(),
        "1.25".to_owned(),
        "-2.5".to_owned(),
        "9007199254740993.0".to_owned(),
        "9007199254740992.1".to_owned(),
        "900719925474099.3".to_owned(),
        "18446744073709551615.0".to_owned(),
        "1844674407370955161.5".to_owned(),
        "0.0000000000000000000001".to_owned(),
        "0.00000000000000000000001".to_owned(),
        "123456789012345678.9".to_owned(),
    ];
    for _ in 0..20_000 {
        let integer = next() % 10u64.pow((next() % 18) as u32);
        let digits = (next() % 24) as usize + 1;
        let fraction: String = (0..digits)
            .map(|_| char::from(b'0' + (next() % 10) as u8))
            .collect();
        let sign = if next() % 2 == 0 { "-" } else { "" };
        texts.push(format!("{sign}{integer}.{fraction}"));
    }
    for text in texts {
        let document = format!("[{text}]");
        let serde: Node<'_> = serde_json::from_str(&document).unwrap();
        assert_eq!(fast_reader::read(&document), Some(serde), "{text}");
    }
}

#[test]
fn containers_of_every_size_are_read_like_serde() {
    for length in 0..40 {
        let items: Vec<String> = (0..length)
            .map(|i| format!("{{\"k{i}\":[{i},\"v\"]}}"))
            .collect();
        let document = format!("{{\"list\":[{}],\"last\":{{}}}}", items.join(","));
        let serde: Node<'_> = serde_json::from_str(&document).unwrap();
        assert_eq!(fast_reader::read(&document), Some(serde), "{document}");
    }
}

/// `Node::parse_str` reads `text` as `serde_json::from_str::<Value>` does: the same value
/// (numbers of the same kind, `-0.0` included, so compared as serialized too) or the same
/// error; and what the fast reader reads on its own is what `serde_json` reads.
fn check_like_serde(text: &str) {
    let theirs = serde_json::from_str::<Value>(text).map_err(|error| error.to_string());
    let ours = Node::parse_str(text)
        .map(|node| node.to_value())
        .map_err(|error| error.to_string());
    assert_eq!(ours, theirs, "{text}");
    if let (Ok(ours), Ok(theirs)) = (&ours, &theirs) {
        assert_eq!(
            serde_json::to_string(ours).ok(),
            serde_json::to_string(theirs).ok(),
            "{text}"
        );
    }
    if let Some(fast) = fast_reader::read(text) {
        let serde: Result<Node<'_>, String> =
            serde_json::from_str(text).map_err(|error| error.to_string());
        assert_eq!(Ok(fast), serde, "{text}");
    }
}

/// The body nginx sends in the bench (`bench/gen_contracts.py`).
const BENCH_BODY: &str = r#"{"id":0,"sku":"SKU-000000","name":"Item number 0","description":"A benchmark item with a fixed description that must match exactly.","price":1.25,"currency":"EUR","inStock":false,"quantity":0,"tags":["alpha","beta","gamma"],"dimensions":{"width":10,"height":20,"depth":30,"unit":"cm"},"owner":{"id":5000,"name":"Owner 0","email":"owner0@example.com","roles":["seller","admin"]},"variants":[{"sku":"SKU-000000-0","price":2.5,"attributes":{"color":"red","size":"S"}},{"sku":"SKU-000000-1","price":3.5,"attributes":{"color":"green","size":"M"}}],"createdAt":"2024-01-01T08:00:00Z","links":{"self":"/items/0","owner":"/owners/5000"}}"#;

#[test]
fn the_bench_body_is_read_fast_and_like_serde() {
    assert!(fast_reader::read(BENCH_BODY).is_some());
    check_like_serde(BENCH_BODY);
    let value: Value = serde_json::from_str(BENCH_BODY).unwrap();
    let pretty = serde_json::to_string_pretty(&value).unwrap();
    assert!(fast_reader::read(&pretty).is_some());
    check_like_serde(&pretty);
}

#[test]
fn every_prefix_and_every_byte_changed_reads_like_serde() {
    let documents = [
        BENCH_BODY,
        r#" [ {"a\"\\\/\b\f\n\r\t\u00e9\ud83d\ude00" : -0.5e-3 } , null , true , false ] "#,
    ];
    for document in documents {
        for end in 0..=document.len() {
            if let Some(prefix) = document.get(..end) {
                check_like_serde(prefix);
            }
        }
        for at in 0..document.len() {
            for replacement in [
                b'"', b'\\', b'}', b']', b',', b':', b' ', b'0', b'-', b'x', 0x1f,
            ] {
                let mut bytes = document.as_bytes().to_vec();
                bytes[at] = replacement;
                if let Ok(text) = String::from_utf8(bytes) {
                    check_like_serde(&text);
                }
            }
        }
    }
}

#[test]
fn escapes_read_like_serde() {
    // Escapes are decoded by the fast reader itself; lone surrogates are left to `serde_json`.
    for text in [
        r#""\"\\\/\b\f\n\r\t""#,
        r#""\ud83d\ude00""#,
        r#"{"k\u0065y":"v\n"}"#,
    ] {
        assert!(fast_reader::read(text).is_some(), "{text}");
    }
    for text in [r#""x\ud800""#, r#""x\udc00""#, r#""x\ud800\u0041""#] {
        assert!(fast_reader::read(text).is_none(), "{text}");
    }
    for text in [
        r#""\"\\\/\b\f\n\r\t""#,
        r#""a\u0000b\u001fc\u007f\u0080\u07ff\u0800\uffff""#,
        r#""\u00E9\u00e9\uABCD""#,
        r#""\ud83d\ude00 \uD83D\uDE00""#,
        r#""x\ud800""#,
        r#""x\ud800y""#,
        r#""x\ud800\n""#,
        r#""x\ud800\ud800""#,
        r#""x\ud800\u0041""#,
        r#""x\udc00""#,
        r#""\u12""#,
        r#""\u12g4""#,
        r#""\x""#,
        r#""\"#,
        r#""abc\"#,
        r#"{"k\u0065y":1,"key":2}"#,
        r#"{"key":1,"k\u0065y":2}"#,
        "\"tab\there\"",
        "\"new\nline\"",
        "\"é ü 中文 😀\"",
        "\"\\u00e9é\\n😀\\t\"",
        r#"["a\\b", "c\"d", "\\"]"#,
        r#""unterminated"#,
        r#""a long string with an escape near the end, past several words\n""#,
        r#""a long string with an escape near the end, past several words\n and more text after it""#,
    ] {
        check_like_serde(text);
    }
}

#[test]
fn numbers_read_like_serde() {
    for text in [
        "0",
        "-0",
        "-0.0",
        "0.0",
        "1",
        "-1",
        "9223372036854775807",
        "9223372036854775808",
        "-9223372036854775808",
        "-9223372036854775809",
        "18446744073709551615",
        "18446744073709551616",
        "-18446744073709551615",
        "-18446744073709551616",
        "1234567890123456789",
        "12345678901234567890",
        "123456789012345678901234567890",
        "-123456789012345678901234567890",
        "1e400",
        "-1e400",
        "1e-400",
        "1E2",
        "1e+2",
        "1e-2",
        "1.5e3",
        "-1.5E-3",
        "0.1",
        "0.30000000000000004",
        "1.7976931348623157e308",
        "5e-324",
        "2.2250738585072014e-308",
        "9007199254740993",
        "9007199254740993.0",
        "0.0000000000000000000001",
        "0.00000000000000000000001",
        "1.00000000000000000000000000001",
        "01",
        "-01",
        "00",
        "1.",
        ".1",
        "-",
        "+1",
        "1e",
        "1e+",
        "1.e1",
        "1.5.5",
        "1-2",
        "0x10",
        "Infinity",
        "NaN",
        "[1,-0,0.5,-0.5,1e2]",
        "[18446744073709551616,-9223372036854775809,1e400]",
    ] {
        check_like_serde(text);
    }
}

#[test]
fn structure_reads_like_serde() {
    let deep = |depth: usize| format!("{}1{}", "[".repeat(depth), "]".repeat(depth));
    let deep_objects = |depth: usize| format!("{}1{}", "{\"a\":".repeat(depth), "}".repeat(depth));
    let mut texts = vec![
        deep(63),
        deep(64),
        deep(65),
        deep(127),
        deep(128),
        deep(129),
        deep_objects(64),
        deep_objects(65),
        deep_objects(200),
    ];
    texts.extend(
        [
            "",
            " ",
            "\u{feff}{}",
            "{}",
            "[]",
            "{ }",
            "[ ]",
            " \t\r\n{ \t\r\n\"a\" \t\r\n: \t\r\n[ \t\r\n1 \t\r\n, \t\r\n{ } \t\r\n] \t\r\n} \t\r\n",
            "\u{b}{}",
            "{}\u{c}",
            "{\"a\":1}x",
            "1 2",
            "{\"a\":1}}",
            "[1]]",
            "{\"a\":1,\"b\":2,\"a\":3}",
            "{\"a\":1,\"a\":2,\"a\":3,\"b\":{\"c\":1,\"c\":[1,2]}}",
            "{\"\":1,\"\":2}",
            "{\"ab\":1,\"ba\":2,\"a\":3,\"b\":4}",
            "{\"a\" 1}",
            "{\"a\":}",
            "{\"a\",1}",
            "{,}",
            "{\"a\":1,}",
            "[1,]",
            "[,1]",
            "[1 2]",
            "{1:2}",
            "{a:1}",
            "['a']",
            "tru",
            "true",
            "truex",
            "nul",
            "null",
            "nulll",
            "fals",
            "false",
            "[true,false,null]",
            "\"abc\"",
            "\"abc",
            "{\"abc",
            "{\"abc\"",
            "{\"abc\":",
            "[",
            "{",
            "]",
            "}",
        ]
        .into_iter()
        .map(str::to_owned),
    );
    let mut large = String::from("{");
    for i in 0..100 {
        large.push_str(&format!("\"k{}\":{i},", i % 70));
    }
    large.push_str("\"end\":true}");
    texts.push(large);
    for text in &texts {
        check_like_serde(text);
    }
}

/// Random documents, compact and with random whitespace, with every kind of value.
#[test]
fn random_documents_read_like_serde() {
    struct Random(u64);
    impl Random {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }
        fn below(&mut self, bound: u64) -> usize {
            (self.next() % bound) as usize
        }
        fn pick<'a>(&mut self, choices: &[&'a str]) -> &'a str {
            choices[self.below(choices.len() as u64)]
        }
    }
    fn space(random: &mut Random, out: &mut String) {
        if random.below(4) == 0 {
            out.push_str(random.pick(&[" ", "\n", "\t", "\r\n  ", "  "]));
        }
    }
    fn string(random: &mut Random, out: &mut String) {
        out.push('"');
        for _ in 0..random.below(20) {
            out.push_str(random.pick(&[
                "a",
                "key",
                "Z",
                " ",
                "é",
                "中",
                "😀",
                "\\\"",
                "\\\\",
                "\\/",
                "\\n",
                "\\t",
                "\\u0041",
                "\\u00e9",
                "\\ud83d\\ude00",
                "~",
                "\u{7f}",
            ]));
        }
        out.push('"');
    }
    fn value(random: &mut Random, out: &mut String, depth: usize) {
        space(random, out);
        match random.below(if depth > 6 { 3 } else { 5 }) {
            0 => string(random, out),
            1 => {
                let number = random.pick(&[
                    "0",
                    "-0",
                    "7",
                    "-12",
                    "1.25",
                    "-0.5",
                    "3.14159",
                    "1e3",
                    "2E-2",
                    "-1.5e+10",
                    "123456789",
                    "18446744073709551615",
                    "18446744073709551616",
                    "-9223372036854775808",
                    "-9223372036854775809",
                    "0.1",
                    "100.001",
                ]);
                out.push_str(number);
            }
            2 => out.push_str(random.pick(&["true", "false", "null"])),
            3 => {
                out.push('[');
                for i in 0..random.below(6) {
                    if i > 0 {
                        out.push(',');
                    }
                    value(random, out, depth + 1);
                }
                space(random, out);
                out.push(']');
            }
            _ => {
                out.push('{');
                for i in 0..random.below(7) {
                    if i > 0 {
                        out.push(',');
                    }
                    space(random, out);
                    if random.below(3) == 0 {
                        out.push_str(random.pick(&["\"id\"", "\"a\"", "\"\"", "\"i\\u0064\""]));
                    } else {
                        string(random, out);
                    }
                    space(random, out);
                    out.push(':');
                    value(random, out, depth + 1);
                }
                space(random, out);
                out.push('}');
            }
        }
        space(random, out);
    }
    let mut random = Random(0x9e37_79b9_7f4a_7c15);
    for _ in 0..3000 {
        let mut document = String::new();
        value(&mut random, &mut document, 0);
        check_like_serde(&document);
    }
}

/// Every file of the Pact specification cases is a JSON document, and so is every body in it,
/// compact and pretty.
#[test]
fn pact_specification_case_files_read_like_serde() {
    let root = std::env::var_os("TREATY_SPEC_TESTCASES").map_or_else(
        || Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/pact-spec-testcases"),
        std::path::PathBuf::from,
    );
    if !root.is_dir() {
        use std::io::Write;
        let _ = writeln!(
            std::io::stderr(),
            "skipped: pact_specification_case_files_read_like_serde needs the Pact specification cases, not found at {} (put `shared/` beside the repository or set TREATY_SPEC_TESTCASES)",
            root.display()
        );
        return;
    }
    let mut files = vec![root];
    let mut documents = 0;
    while let Some(path) = files.pop() {
        if path.is_dir() {
            for entry in std::fs::read_dir(&path).unwrap() {
                files.push(entry.unwrap().path());
            }
            continue;
        }
        if path.extension().is_none_or(|extension| extension != "json") {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        check_like_serde(&text);
        documents += 1;
        let Ok(case) = serde_json::from_str::<Value>(&text) else {
            continue;
        };
        for side in ["expected", "actual"] {
            if let Some(body) = case.get(side).and_then(|message| message.get("body")) {
                check_like_serde(&serde_json::to_string(body).unwrap());
                check_like_serde(&serde_json::to_string_pretty(body).unwrap());
                if let Value::String(text) = body {
                    check_like_serde(text);
                }
            }
        }
    }
    assert!(documents > 500, "only {documents} case files found");
}
