"""QuizCraft games API: create, list and fetch games for the calling player.

Routes (API Gateway HTTP API, payload format 2.0):
  GET  /health            public liveness check
  GET  /games             the player's games
  POST /games             start a game
  GET  /games/{gameId}    one game
"""
import hashlib
import json
import os
import time
import uuid

import boto3
from boto3.dynamodb.conditions import Key

dynamodb = boto3.resource("dynamodb")
games = dynamodb.Table(os.environ["GAMES_TABLE"])
tokens = dynamodb.Table(os.environ["PLAYER_TOKENS_TABLE"])
TOKEN_TTL_SECONDS = 3600


def player_id(event):
    """The player behind the bearer token: a hash of the token's subject, cached with a TTL."""
    token = event["headers"].get("authorization", "").split(" ")[-1]
    cached = tokens.get_item(Key={"Token": token}).get("Item")
    if cached:
        return cached["PlayerId"]
    claims = event["requestContext"]["authorizer"]["jwt"]["claims"]
    player = hashlib.sha256(claims["sub"].encode()).hexdigest()
    tokens.put_item(Item={"Token": token, "PlayerId": player, "ExpiresAt": int(time.time()) + TOKEN_TTL_SECONDS})
    return player


def response(status, body):
    return {"statusCode": status, "headers": {"content-type": "application/json"}, "body": json.dumps(body)}


def handler(event, context):
    route = event["routeKey"]
    if route == "GET /health":
        return response(200, {"status": "ok"})
    player = player_id(event)
    if route == "GET /games":
        items = games.query(
            IndexName="creation-time-index", KeyConditionExpression=Key("PlayerId").eq(player), ScanIndexForward=False)["Items"]
        return response(200, {"games": items})
    if route == "POST /games":
        body = json.loads(event.get("body") or "{}")
        game = {"PlayerId": player, "GameId": str(uuid.uuid4()), "Keywords": body.get("keywords", ["general"]),
                "QuestionsLimit": int(body.get("questionsLimit", 10)), "CreationTime": int(time.time())}
        games.put_item(Item=game)
        return response(201, game)
    if route == "GET /games/{gameId}":
        item = games.get_item(Key={"PlayerId": player, "GameId": event["pathParameters"]["gameId"]}).get("Item")
        if not item:
            return response(404, {"errors": [{"message": "no such game"}]})
        return response(200, item)
    return response(404, {"errors": [{"message": f"no route {route}"}]})
