"""QuizCraft questions API: list a game's questions, request new ones, answer one.

Routes (API Gateway HTTP API, payload format 2.0):
  GET  /games/{gameId}/questions
  POST /games/{gameId}/questions                  queue the generation of a question
  PUT  /games/{gameId}/questions/{questionId}     answer a question
"""
import hashlib
import json
import os

import boto3
from boto3.dynamodb.conditions import Key

dynamodb = boto3.resource("dynamodb")
games = dynamodb.Table(os.environ["GAMES_TABLE"])
questions = dynamodb.Table(os.environ["QUESTIONS_TABLE"])
queue_url = os.environ["QUESTION_QUEUE_URL"]
sqs = boto3.client("sqs")


def response(status, body):
    return {"statusCode": status, "headers": {"content-type": "application/json"}, "body": json.dumps(body, default=str)}


def player_id(event):
    """The calling player: the same hash of the token's subject that the games API stores."""
    claims = event["requestContext"]["authorizer"]["jwt"]["claims"]
    return hashlib.sha256(claims["sub"].encode()).hexdigest()


def handler(event, context):
    route = event["routeKey"]
    game_id = event["pathParameters"]["gameId"]
    game = games.get_item(Key={"PlayerId": player_id(event), "GameId": game_id}).get("Item")
    if not game:
        return response(404, {"errors": [{"message": "no such game"}]})
    asked = questions.query(KeyConditionExpression=Key("GameId").eq(game_id))["Items"]
    if route == "GET /games/{gameId}/questions":
        return response(200, {"questions": asked})
    if route == "POST /games/{gameId}/questions":
        if len(asked) >= int(game["QuestionsLimit"]):
            message = f"Game {game_id} has reached questions limit of {game['QuestionsLimit']}"
            return response(400, {"errors": [{"message": message}]})
        sqs.send_message(QueueUrl=queue_url, MessageBody=json.dumps({"gameId": game_id, "keywords": game["Keywords"]}))
        return response(202, {"status": "queued"})
    if route == "PUT /games/{gameId}/questions/{questionId}":
        answer = json.loads(event.get("body") or "{}").get("answer")
        questions.update_item(
            Key={"GameId": game_id, "QuestionId": event["pathParameters"]["questionId"]},
            UpdateExpression="SET Answer = :a", ExpressionAttributeValues={":a": answer})
        return response(200, {"status": "answered"})
    return response(404, {"errors": [{"message": f"no route {route}"}]})
