"""The bookshelf API: GET /books, GET /books/{isbn}, PUT /books/{isbn}."""
import json
import os

import boto3

table = boto3.resource("dynamodb").Table(os.environ["TABLE"])


def handler(event, context):
    route = event.get("routeKey", "")
    isbn = (event.get("pathParameters") or {}).get("isbn")
    if route == "GET /books":
        return respond(200, table.scan(Limit=100).get("Items", []))
    if route == "GET /books/{isbn}":
        item = table.get_item(Key={"Isbn": isbn}).get("Item")
        return respond(200, item) if item else respond(404, {"error": "no such book"})
    if route == "PUT /books/{isbn}":
        book = json.loads(event.get("body") or "{}")
        table.put_item(Item={**book, "Isbn": isbn})
        return respond(204, None)
    return respond(404, {"error": "no such route"})


def respond(status, body):
    return {"statusCode": status, "body": "" if body is None else json.dumps(body, default=str)}
