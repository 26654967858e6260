//! Pushes a message to websocket connections: `websocket_push DOMAIN STAGE MESSAGE ID...`
//! (or `WEBSOCKET_ENDPOINT` for a test server instead of `https://DOMAIN/STAGE`).

use awstin::apigateway::websocket::{Delivery, Websocket};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    awstin::lambda::init_tracing();
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [domain, stage, message, ids @ ..] = args.as_slice() else {
        eprintln!("usage: websocket_push DOMAIN STAGE MESSAGE CONNECTION_ID...");
        std::process::exit(2);
    };
    let socket = match std::env::var("WEBSOCKET_ENDPOINT") {
        Ok(endpoint) => Websocket::from_endpoint(&endpoint).await,
        Err(_) => Websocket::from_env(domain, stage).await,
    };
    if let [id] = ids {
        match socket.send(id, message).await? {
            Delivery::Sent => println!("sent to {id}"),
            Delivery::Gone => println!("{id} is gone: forget it"),
        }
    } else {
        let outcome = socket.broadcast(ids.iter().cloned(), message).await;
        println!(
            "sent to {} connections; gone: {:?}",
            outcome.sent.len(),
            outcome.gone
        );
        for e in &outcome.failed {
            eprintln!("{}: {e}", e.connection_id());
        }
    }
    Ok(())
}
